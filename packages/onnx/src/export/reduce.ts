/**
 * Reductions over one axis. ReduceSum takes its axes as an input since opset 13; ReduceMean, ReduceMax and
 * ReduceProd only since opset 18 (an attribute before).
 */
import type { ExportContext } from "./context.js";

export type Reduction = "ReduceSum" | "ReduceMean" | "ReduceMax" | "ReduceProd";

/** Reduces `x` over `axis` without keeping it; writes `out` when given. */
export function reduce(ctx: ExportContext, op: Reduction, x: string, axis: number, out?: string): string {
  if (op === "ReduceSum" || ctx.opset >= 18) return ctx.op(op, [x, ctx.int64([axis])], { keepdims: 0 }, out);
  return ctx.op(op, [x], { axes: [axis], keepdims: 0 }, out);
}
