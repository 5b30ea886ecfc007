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
      const source = input!;
      x = source;
      const [T, B, D] = source.shape as [number, number, number];
      // `data` is built on first read only: a dense layer on the SIMD kernels reads `window` instead.
      let built: Float32Array | undefined;
      return [
        {
          shape: [T, B, W * D],
          lengths: source.lengths,
          window: { source, left: node.left, right: node.right },
          get data() {
            built ??= stack(source, node.left, W, bufs.get("y", T * B * W * D));
            return built;
          },
        },
      ];
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

/**
 * Writes the stack of `x [T, B, D]` (W frames from `t − left`) into `out [T, B, W·D]`. Every output float is
 * written once (copied or zeroed), with no per-frame subarray.
 */
function stack(x: Value, left: number, W: number, out: Float32Array): Float32Array {
  const [T, B, D] = x.shape as [number, number, number];
  const src = x.data;
  for (let b = 0; b < B; b++) {
    const L = validSteps(x.lengths, b, T);
    for (let t = 0; t < T; t++) {
      const row = (t * B + b) * W * D;
      if (t >= L) {
        out.fill(0, row, row + W * D);
        continue;
      }
      for (let j = 0; j < W; j++) {
        const s = t - left + j;
        const dst = row + j * D;
        if (s < 0 || s >= L) {
          out.fill(0, dst, dst + D);
          continue;
        }
        const from = (s * B + b) * D;
        for (let d = 0; d < D; d++) out[dst + d] = src[from + d]!;
      }
    }
  }
  return out;
}
