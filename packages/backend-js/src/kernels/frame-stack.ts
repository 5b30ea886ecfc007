/**
 * `frameStack`: `y[t, b] = [x[t−left, b], …, x[t+right, b]]`, oldest first → `[T, B, (left+right+1)·D]`.
 * Frames outside a sample's `0..L−1` read as zeros; frames `t ≥ L` of the output are zero.
 */
import { Buffers } from "../engine/buffers.js";
import type { Kernel } from "../engine/kernel.js";
import { type Value, validSteps } from "../engine/value.js";

export const frameStackKernel: Kernel<"frameStack"> = (node) => {
  const W = node.left + node.right + 1;
  const bufs = new Buffers();
  let x: Value | undefined;
  return {
    forward([input]) {
      x = input!;
      const [T, B, D] = x.shape as [number, number, number];
      const out = bufs.zeros("y", T * B * W * D);
      for (let b = 0; b < B; b++) {
        const L = validSteps(x.lengths, b, T);
        for (let t = 0; t < L; t++) {
          const row = (t * B + b) * W * D;
          for (let j = 0; j < W; j++) {
            const s = t - node.left + j;
            if (s < 0 || s >= L) continue;
            out.set(x.data.subarray((s * B + b) * D, (s * B + b + 1) * D), row + j * D);
          }
        }
      }
      return [{ shape: [T, B, W * D], data: out, lengths: x.lengths }];
    },
    backward([dy], ctx) {
      const dx = ctx.inputGrad(0);
      if (dy === undefined || dx === undefined || x === undefined) return;
      const [T, B, D] = x.shape as [number, number, number];
      for (let b = 0; b < B; b++) {
        const L = validSteps(x.lengths, b, T);
        for (let t = 0; t < L; t++) {
          const row = (t * B + b) * W * D;
          for (let j = 0; j < W; j++) {
            const s = t - node.left + j;
            if (s < 0 || s >= L) continue;
            const dst = (s * B + b) * D;
            const src = row + j * D;
            for (let d = 0; d < D; d++) dx[dst + d] = dx[dst + d]! + dy[src + d]!;
          }
        }
      }
    },
  };
};
