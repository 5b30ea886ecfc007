/**
 * `lastStep`: each sample's frame at step length−1 (zeros for length 0), as a Where on a one-hot time mask
 * followed by a ReduceSum over time; padded frames are never read, whatever they hold. Without lengths: the last
 * frame (Gather −1).
 */
import type { NodeOf } from "@recurrent/core";
import type { ExportContext } from "./context.js";
import { lastStepMask } from "./masks.js";
import { reduce } from "./reduce.js";

/** Emits the selection writing the node's value `[B, D]`. */
export function exportLastStep(ctx: ExportContext, node: NodeOf<"lastStep">): void {
  const x = node.inputs[0] as string;
  const lengths = ctx.lengthsOf(x);
  if (lengths === undefined) {
    ctx.op("Gather", [x, ctx.int64([-1], [])], { axis: 0 }, node.id);
    return;
  }
  const picked = ctx.op("Where", [lastStepMask(ctx, lengths), x, ctx.float([0])]);
  reduce(ctx, "ReduceSum", picked, 0, node.id);
}
