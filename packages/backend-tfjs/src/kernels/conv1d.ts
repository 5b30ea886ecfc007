/**
 * `conv1d`: stride-1 temporal convolution, output length T, as one product `cols [T·B, K·I] × W' [K·I, F]` over
 * a window of the K dilated taps (`temporalWindow`), with PyTorch's weight `[F, I, K]` permuted to `[K, I, F]`.
 * `same` puts ⌊span/2⌋ frames of context before t (PyTorch `padding="same"`), `causal` all of it. Built from
 * slices and one product rather than `tf.conv1d` because tfjs has no gradient for dilated convolutions.
 */
import type { Kernel } from "../engine/kernel.js";
import { activate } from "./activate.js";
import { matMulBias } from "./affine.js";
import { temporalWindow } from "./window.js";

export const conv1dKernel: Kernel<"conv1d"> = (node, [x], ctx) => {
  const { tf } = ctx;
  const [T, B, I] = x!.shape as [number, number, number];
  const K = node.kernelSize;
  const F = node.filters;
  const span = (K - 1) * node.dilation;
  const padLeft = node.padding === "causal" ? span : Math.floor(span / 2);
  const offsets = Array.from({ length: K }, (_, k) => k * node.dilation - padLeft);
  const cols = tf.reshape(temporalWindow(tf, x!, offsets, ctx.lengthsOf(node.inputs[0]!)), [T * B, K * I]);
  const w = ctx.derive("weightCols", () => tf.reshape(tf.transpose(ctx.weight("weight"), [2, 1, 0]), [K * I, F]));
  const y = matMulBias(tf, cols, w, node.useBias ? ctx.weight("bias") : undefined);
  return [activate(tf, node.activation, tf.reshape(y, [T, B, F]))];
};
