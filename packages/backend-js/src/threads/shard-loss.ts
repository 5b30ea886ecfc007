/**
 * The loss inside each shard, when its normaliser can be known before any forward: then a shard runs forward,
 * its part of the loss and backward in one go (one message to a worker per step, no join of the outputs on the
 * calling thread). Only MSE qualifies: its gradient `2 (y − target) / count` is elementwise, so with the whole
 * batch's `count` every shard's gradient is bit for bit the whole-batch loss's; the loss value is the shards'
 * sums added in shard order (the same for any thread count). Other losses, and outputs whose valid frames are not
 * the fed lengths, take the two-phase path (data-parallel.ts).
 */
import type { FeedPlan, LossConfig, Tensor, TrainBatch, ValidModel } from "@recurrent/core";
import { validSteps } from "../engine/value.js";

/** The MSE normaliser of a whole batch: `frames · features` (its valid frames, the output's last dim). */
export interface MseCount {
  readonly frames: number;
  readonly features: number;
}

/**
 * The MSE normaliser (valid frames, features) of the whole batch, read from the feeds, or undefined
 * when the loss is not MSE or the output's frames cannot be read from the feeds: an output `[batch, F]`, or
 * `[time, batch, F]` on the time axis of exactly one sequence input (its lengths then mask the output).
 * The feeds must have been checked.
 */
export function mseCountOf(
  model: ValidModel,
  plan: FeedPlan,
  batch: TrainBatch,
  loss: LossConfig,
  output: string,
): MseCount | undefined {
  if (loss.kind !== "mse") return undefined;
  const shape = model.info.shapes.get(output);
  const F = shape?.at(-1);
  if (shape === undefined || typeof F !== "number") return undefined;
  if (shape.length === 2 && shape[0] === "batch") {
    const B = plan.inputs.map((n) => (batch.inputs[n.id] as Tensor).shape[n.shape.indexOf("batch")]!);
    return B[0] === undefined ? undefined : { frames: B[0], features: F };
  }
  if (shape.length !== 3 || shape[1] !== "batch" || typeof shape[0] !== "string") return undefined;
  const sources = plan.inputs.filter((n) => n.shape.length === 3 && n.shape[0] === shape[0] && n.shape[1] === "batch");
  if (sources.length !== 1) return undefined;
  const node = sources[0]!;
  const x = batch.inputs[node.id] as Tensor;
  const [T, B] = [x.shape[0]!, x.shape[1]!];
  const name = model.info.lengthsOf.get(output);
  if (name !== model.info.lengthsOf.get(node.id)) return undefined;
  const lengths = name === undefined ? undefined : (batch.inputs[name] as Int32Array | undefined);
  let frames = 0;
  for (let b = 0; b < B; b++) frames += validSteps(lengths, b, T);
  return { frames, features: F };
}
