/**
 * How a recurrent node's ONNX outputs become its IR value. Sequences come from Y `[T, nd, B, H]`, the final state
 * from Y_h `[nd, B, H]` (for the reverse direction, the state after step 0, never Y[T−1]). Concat puts the forward
 * half first; sum / ave / mul reduce over the direction axis.
 */
import { directionsOf, type Merge, mergeOf, type NodeOf } from "@recurrent/core";
import type { ExportContext } from "./context.js";
import { type Reduction, reduce } from "./reduce.js";

const REDUCTION: { readonly [M in Exclude<Merge, "concat">]: Reduction } = {
  sum: "ReduceSum",
  ave: "ReduceMean",
  mul: "ReduceProd",
};

/** Y `[T, nd, B, H]` → the node's value `[T, B, H']`. */
export function mergeSequences(ctx: ExportContext, node: NodeOf<"rnn">, Y: string): void {
  if (directionsOf(node) === 1) {
    ctx.op("Squeeze", [Y, ctx.int64([1])], {}, node.id);
    return;
  }
  const merge = mergeOf(node);
  if (merge === "concat") {
    const t = ctx.op("Transpose", [Y], { perm: [0, 2, 1, 3] });
    ctx.op("Reshape", [t, ctx.int64([0, 0, -1])], {}, node.id);
    return;
  }
  reduce(ctx, REDUCTION[merge], Y, 1, node.id);
}

/** Y_h `[nd, B, H]` → the node's value `[B, H']` (many-to-one). */
export function mergeFinal(ctx: ExportContext, node: NodeOf<"rnn">, Yh: string): void {
  if (directionsOf(node) === 1) {
    ctx.op("Squeeze", [Yh, ctx.int64([0])], {}, node.id);
    return;
  }
  const merge = mergeOf(node);
  if (merge === "concat") {
    const t = ctx.op("Transpose", [Yh], { perm: [1, 0, 2] });
    ctx.op("Reshape", [t, ctx.int64([0, -1])], {}, node.id);
    return;
  }
  reduce(ctx, REDUCTION[merge], Yh, 0, node.id);
}
