/** `dense`: `y = act(x · Wᵀ + b)` on the last axis; one product over all `T·B` frames of a sequence. */
import type { Kernel } from "../engine/kernel.js";
import { activate } from "./activate.js";
import { affine } from "./affine.js";

export const denseKernel: Kernel<"dense"> = (node, [x], ctx) => {
  const wT = ctx.derive("weightT", () => ctx.tf.transpose(ctx.weight("weight")));
  const bias = node.useBias ? ctx.weight("bias") : undefined;
  return [activate(ctx.tf, node.activation, affine(ctx.tf, x!, wT, bias))];
};
