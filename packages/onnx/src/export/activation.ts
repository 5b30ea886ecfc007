/** Elementwise activations and the `activation` op. */
import type { Activation, NodeOf } from "@recurrent/core";
import type { ExportContext } from "./context.js";

const OP_OF: { readonly [A in Activation]: string | undefined } = {
  linear: undefined,
  tanh: "Tanh",
  sigmoid: "Sigmoid",
  relu: "Relu",
  softmax: "Softmax",
};

/** Applies `fn` to `x`, writing `out` (an Identity for `linear` unless `x` already is `out`). */
export function activate(ctx: ExportContext, fn: Activation, x: string, out: string): string {
  const op = OP_OF[fn];
  if (op === undefined) return x === out ? out : ctx.op("Identity", [x], {}, out);
  // Softmax since opset 13 normalises over the one given axis: the features.
  return ctx.op(op, [x], fn === "softmax" ? { axis: -1 } : {}, out);
}

/** `activation`: one elementwise op. */
export function exportActivation(ctx: ExportContext, node: NodeOf<"activation">): void {
  activate(ctx, node.activation, node.inputs[0] as string, node.id);
}
