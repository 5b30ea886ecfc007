/**
 * One training-style evaluation: forward, loss, backward. The trainer in `src/train/` and
 * `jsBackend().gradients()` both use it.
 */
import { type LossConfig, type LossKind, stateOutputs, type Tensor, type TrainBatch } from "@recurrent/core";
import { runLoss } from "../loss/loss.js";
import { withStates } from "./feeds.js";
import type { Grads, Program, Rng } from "./program.js";

/** Options of {@link lossAndGradients}. */
export interface LossAndGradientsOptions {
  /** The graph output the loss reads; default the first graph output. */
  readonly output?: string;
  /** Dropout active (default false); then `rng` is required. */
  readonly training?: boolean;
  readonly rng?: Rng;
  /** Initial states `<rnnId>/h`, `<rnnId>/c` (`[directions, B, H]`) added to the feeds (truncated BPTT). */
  readonly initialStates?: Readonly<Record<string, Tensor>>;
  /** Also compute d loss / d feed (default true). */
  readonly inputGrads?: boolean;
}

/** What {@link lossAndGradients} returns. Gradient arrays are owned by the program (see program.ts). */
export interface LossAndGradients extends Grads {
  readonly loss: number;
  /** Copies of every rnn's final states `<id>/h`, `<id>/c` (`[directions, B, H]`), to carry into the next chunk. */
  readonly states: Readonly<Record<string, Tensor>>;
}

/**
 * Forward, loss (masked by the output's lengths, semantics of `LossKind` in core) and backward.
 * @throws BackendError on bad feeds, a bad target (FEED_SHAPE / BAD_CONFIG) or an unknown output.
 */
export function lossAndGradients(
  program: Program,
  batch: TrainBatch,
  loss: LossKind | LossConfig,
  options: LossAndGradientsOptions = {},
): LossAndGradients {
  const tape = program.forward(withStates(batch.inputs, options.initialStates), {
    training: options.training ?? false,
    ...(options.rng ? { rng: options.rng } : {}),
  });
  const output = options.output ?? program.model.outputs[0]!;
  const y = tape.value(output);
  const { value, grad } = runLoss(loss, y, batch.target, output);
  const grads = program.backward(tape, new Map([[output, grad]]), { inputGrads: options.inputGrads ?? true });
  return { loss: value, ...splitGrads(grads), states: finalStates(program, tape.values) };
}

/**
 * The loss alone (no backward).
 * @throws BackendError as {@link lossAndGradients}.
 */
export function evaluateLoss(
  program: Program,
  batch: TrainBatch,
  loss: LossKind | LossConfig,
  options: Pick<LossAndGradientsOptions, "output" | "initialStates"> = {},
): number {
  const tape = program.forward(withStates(batch.inputs, options.initialStates), { record: false });
  const output = options.output ?? program.model.outputs[0]!;
  return runLoss(loss, tape.value(output), batch.target, output).value;
}

function splitGrads(grads: Grads): Grads {
  return { weightGrads: grads.weightGrads, inputGrads: grads.inputGrads };
}

function finalStates(program: Program, values: ReadonlyMap<string, { shape: readonly number[]; data: Float32Array }>) {
  const states: Record<string, Tensor> = {};
  for (const node of program.model.nodes) {
    if (node.op !== "rnn") continue;
    for (const key of stateOutputs(node)) {
      const v = values.get(key);
      if (v) states[key] = { shape: [...v.shape], data: v.data.slice() };
    }
  }
  return states;
}
