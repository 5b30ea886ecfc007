/**
 * `pad`: `before` frames in front of the time axis and `after` behind → `[T + before + after, B, D]`. `zero`
 * fills zeros (`tf.pad`); `reflect` mirrors around the edge frames without repeating them (ONNX / PyTorch
 * `reflect`), built from slices and `tf.reverse`: tfjs's `mirrorPad` gradient drops the mirrored frames'
 * contributions (4.22 slices the middle out of dy), which would give the edge frames wrong gradients.
 */
import type { Kernel } from "../engine/kernel.js";

export const padKernel: Kernel<"pad"> = (node, [input], ctx) => {
  const { tf } = ctx;
  const x = input!;
  const { before, after } = node;
  if (before + after === 0) return [x];
  if (node.mode === "zero") {
    return [
      tf.pad(x, [
        [before, after],
        [0, 0],
        [0, 0],
      ]),
    ];
  }
  // before, after ≤ T − 1: checked on the host with the feeds (engine/steps.ts).
  const [T, B, D] = x.shape as [number, number, number];
  const parts = [];
  // Frames before..1 in front (x[−j] = x[j]), frames T−2..T−1−after behind (x[T−1+j] = x[T−1−j]).
  if (before > 0) parts.push(tf.reverse(tf.slice(x, [1, 0, 0], [before, B, D]), 0));
  parts.push(x);
  if (after > 0) parts.push(tf.reverse(tf.slice(x, [T - 1 - after, 0, 0], [after, B, D]), 0));
  return [tf.concat(parts, 0)];
};
