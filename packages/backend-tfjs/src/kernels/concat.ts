/** `concat`: joins values on the last axis; leading dims agree (checked by validation). */
import type { Kernel } from "../engine/kernel.js";

export const concatKernel: Kernel<"concat"> = (_node, inputs, ctx) => [
  ctx.tf.concat(
    inputs.map((v) => v!),
    -1,
  ),
];
