/**
 * `conv1d`: temporal convolution as one product `cols [T'·B, K·I] × W' [K·I, F]` over the K dilated taps of each
 * output frame, with PyTorch's weight `[F, I, K]` permuted to `[K, I, F]`. A conv that keeps T (stride 1, `same`
 * or `causal`) gathers its taps with `temporalWindow`, which honours lengths; one that changes T (stride > 1, or
 * `valid`) reads an input without lengths and gathers them with `stridedWindow`. Frame arithmetic: core's
 * `convPads` / `outputSteps`. Built from slices and one product rather than `tf.conv1d` because tfjs has no
 * gradient for dilated convolutions.
 */
import { changesTime, convPads, outputSteps, strideOf } from "@recurrent/core";
import type { Kernel } from "../engine/kernel.js";
import { activate } from "./activate.js";
import { matMulBias } from "./affine.js";
import { stridedWindow } from "./strided-window.js";
import { temporalWindow } from "./window.js";

export const conv1dKernel: Kernel<"conv1d"> = (node, [x], ctx) => {
  const { tf } = ctx;
  const [T, B, I] = x!.shape as [number, number, number];
  const K = node.kernelSize;
  const F = node.filters;
  const { before } = convPads(node);
  let steps = T;
  let cols: ReturnType<typeof temporalWindow>;
  if (changesTime(node)) {
    // The input is long enough: checked on the host with the feeds (engine/steps.ts).
    steps = outputSteps(node, T);
    const window = { kernelSize: K, dilation: node.dilation, stride: strideOf(node), before, steps };
    cols = stridedWindow(tf, x!, window);
  } else {
    const offsets = Array.from({ length: K }, (_, k) => k * node.dilation - before);
    cols = tf.reshape(temporalWindow(tf, x!, offsets, ctx.lengthsOf(node.inputs[0]!)), [T * B, K * I]);
  }
  const w = ctx.derive("weightCols", () => tf.reshape(tf.transpose(ctx.weight("weight"), [2, 1, 0]), [K * I, F]));
  const y = matMulBias(tf, cols, w, node.useBias ? ctx.weight("bias") : undefined);
  return [activate(tf, node.activation, tf.reshape(y, [steps, B, F]))];
};
