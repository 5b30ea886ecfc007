/** `add`: elementwise sum of values of one shape. */
import type { Kernel } from "../engine/kernel.js";

export const addKernel: Kernel<"add"> = (_node, inputs, ctx) => {
  const xs = inputs.map((v) => v!);
  return [xs.length === 1 ? xs[0]! : ctx.tf.addN(xs)];
};
