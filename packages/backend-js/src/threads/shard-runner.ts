/**
 * Runs shards of a batch through forward and backward, one compiled program per shard it holds (a program keeps
 * one tape, and every shard's tape must live until the loss of the whole batch seeds its backward). The same
 * code runs on the calling thread and in each worker, so every shard's arithmetic is the same wherever it runs.
 */
import { createRng, type Feeds, stateOutputs, type Tensor, type ValidModel } from "@recurrent/core";
import { compileProgram, type Program, type ProgramOptions, type Tape } from "../engine/program.js";
import type { Value } from "../engine/value.js";

/** What one shard's forward hands back to the thread that computes the loss. */
export interface ShardOutput {
  /** The loss output's value for the shard's samples (a copy when it crosses threads). */
  readonly output: Value;
  /** Every rnn's final states `<id>/h`, `<id>/c` (`[directions, size, H]`), when asked for. */
  readonly states: Readonly<Record<string, Tensor>>;
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
  forward(slot: number, feeds: Feeds, seed: number, carry: boolean): ShardOutput {
    const program = this.#program(slot);
    for (const [key, live] of program.weights) live.set(this.#weights.get(key)!);
    const tape = program.forward(feeds, { training: true, rng: createRng(seed) });
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
