/**
 * Runs shards of a batch through forward and backward, one compiled program per shard it holds (a program keeps
 * one tape, and every shard's tape must live until the loss of the whole batch seeds its backward). The same
 * code runs on the calling thread and in each worker, so every shard's arithmetic is the same wherever it runs.
 */
import { createRng, type FeedSizes, type Feeds, stateOutputs, type Tensor, type ValidModel } from "@recurrent/core";
import { compileProgram, type Program, type ProgramOptions, type Tape } from "../engine/program.js";
import type { Value } from "../engine/value.js";
import { mseFrames, mseSum } from "../loss/mse.js";

/** What one shard's forward hands back to the thread that computes the loss. */
export interface ShardOutput {
  /** The loss output's value for the shard's samples (a copy when it crosses threads). */
  readonly output: Value;
  /** Every rnn's final states `<id>/h`, `<id>/c` (`[directions, size, H]`), when asked for. */
  readonly states: Readonly<Record<string, Tensor>>;
}

/** What one shard's {@link ShardRunner.step} hands back: its part of an MSE loss and its weight gradients. */
export interface ShardStep {
  /** Σ (y − target)² over the shard's valid frames. */
  readonly sum: number;
  /** The shard's valid frames (the caller checks that they add up to the normaliser it sent). */
  readonly frames: number;
  readonly states: Readonly<Record<string, Tensor>>;
  /** The program's arrays, valid until this slot's next backward. */
  readonly grads: ReadonlyMap<string, Float32Array>;
}

export class ShardRunner {
  readonly #model: ValidModel;
  readonly #options: ProgramOptions;
  readonly #output: string;
  /** Where the current weights are read before each forward (the trainer's live arrays, or a shared buffer). */
  readonly #weights: ReadonlyMap<string, Float32Array>;
  readonly #shapes: ReadonlyMap<string, readonly number[]>;
  readonly #programs: Program[] = [];
  readonly #tapes: (Tape | undefined)[] = [];

  constructor(
    model: ValidModel,
    options: ProgramOptions,
    output: string,
    weights: ReadonlyMap<string, Float32Array>,
    shapes: ReadonlyMap<string, readonly number[]>,
  ) {
    this.#model = model;
    this.#options = options;
    this.#output = output;
    this.#weights = weights;
    this.#shapes = shapes;
  }

  /**
   * Forward of the shard held in `slot` with dropout on, drawing from `createRng(seed)`.
   * @throws BackendError as `Program.forward`.
   */
  forward(slot: number, feeds: Feeds, seed: number, carry: boolean, sizes?: FeedSizes): ShardOutput {
    const program = this.#program(slot);
    for (const [key, live] of program.weights) live.set(this.#weights.get(key)!);
    // `sizes`: the shard is a slice of feeds checked (and padding-zeroed) as a whole, so not checked again.
    const tape = program.forward(feeds, { training: true, rng: createRng(seed) }, sizes);
    this.#tapes[slot] = tape;
    const states: Record<string, Tensor> = {};
    if (carry) {
      for (const node of this.#model.nodes) {
        if (node.op !== "rnn") continue;
        for (const key of stateOutputs(node)) {
          const v = tape.values.get(key);
          if (v) states[key] = { shape: [...v.shape], data: v.data.slice() };
        }
      }
    }
    return { output: tape.value(this.#output), states };
  }

  /**
   * Backward of the shard held in `slot` from `seed` (d loss / d output for its samples). The arrays returned
   * are the program's, valid until this slot's next backward.
   */
  backward(slot: number, seed: Float32Array): ReadonlyMap<string, Float32Array> {
    const tape = this.#tapes[slot]!;
    return this.#programs[slot]!.backward(tape, new Map([[this.#output, seed]]), { inputGrads: false }).weightGrads;
  }

  /**
   * Forward, MSE and backward of one shard in one go: d loss / d output is `2 (y − target) / count` with the
   * whole batch's `count` (shard-loss.ts), so the gradients are those of the whole batch's loss.
   * @throws BackendError as `Program.forward`, or FEED_SHAPE when `target` is not shaped like the output.
   */
  step(
    slot: number,
    job: { readonly feeds: Feeds; readonly seed: number; readonly sizes: FeedSizes },
    carry: boolean,
    target: Tensor,
    count: number,
  ): ShardStep {
    const { output, states } = this.forward(slot, job.feeds, job.seed, carry, job.sizes);
    const { sum, grad } = mseSum(output, target, this.#output, count);
    return { sum, frames: mseFrames(output), states, grads: this.backward(slot, grad) };
  }

  #program(slot: number): Program {
    let program = this.#programs[slot];
    if (program === undefined) {
      const weights: Record<string, Tensor> = {};
      for (const [key, data] of this.#weights) weights[key] = { shape: [...this.#shapes.get(key)!], data };
      program = compileProgram(this.#model, weights, this.#options);
      this.#programs[slot] = program;
    }
    return program;
  }
}
