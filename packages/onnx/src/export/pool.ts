/**
 * `pool`: mean or max over each sample's valid steps (zeros for length 0). Padded frames are replaced before the
 * reduction (0 for the sum, −∞ for the max), so they are never read.
 */
import type { NodeOf } from "@recurrent/core";
import type { ExportContext } from "./context.js";
import { lengthDivisor, nonEmpty, validMask } from "./masks.js";
import { reduce } from "./reduce.js";

/** Emits the masked reduction writing the node's value `[B, D]`. */
export function exportPool(ctx: ExportContext, node: NodeOf<"pool">): void {
  const x = node.inputs[0] as string;
  const lengths = ctx.lengthsOf(x);
  if (lengths === undefined) {
    reduce(ctx, node.mode === "mean" ? "ReduceMean" : "ReduceMax", x, 0, node.id);
    return;
  }
  const mask = validMask(ctx, lengths);
  if (node.mode === "mean") {
    const sum = reduce(ctx, "ReduceSum", ctx.op("Where", [mask, x, ctx.float([0])]), 0);
    ctx.op("Div", [sum, lengthDivisor(ctx, lengths)], {}, node.id);
    return;
  }
  const max = reduce(ctx, "ReduceMax", ctx.op("Where", [mask, x, ctx.float([Number.NEGATIVE_INFINITY])]), 0);
  ctx.op("Where", [nonEmpty(ctx, lengths), max, ctx.float([0])], {}, node.id);
}
