/**
 * `repeat`: a vector `[B, D]` repeated over time → `[T, B, D]`, T from `steps` or from the second input (whose
 * lengths the output takes; frames `t ≥ L` are zero). The second input only gives the shape: no gradient.
 */
import { Buffers } from "../engine/buffers.js";
import type { Kernel } from "../engine/kernel.js";
import { validSteps } from "../engine/value.js";

export const repeatKernel: Kernel<"repeat"> = (node) => {
  const bufs = new Buffers();
  let T = 0;
  let B = 0;
  let D = 0;
  let lengths: Int32Array | undefined;
  return {
    forward([vector, like]) {
      const v = vector!;
      [B, D] = v.shape as [number, number];
      T = like ? like.shape[0]! : node.steps!;
      lengths = like?.lengths;
      const out = bufs.zeros("y", T * B * D);
      for (let b = 0; b < B; b++) {
        const L = validSteps(lengths, b, T);
        const src = v.data.subarray(b * D, (b + 1) * D);
        for (let t = 0; t < L; t++) out.set(src, (t * B + b) * D);
      }
      return [{ shape: [T, B, D], data: out, lengths }];
    },
    backward([dy], ctx) {
      const dv = ctx.inputGrad(0);
      if (dy === undefined || dv === undefined) return;
      for (let b = 0; b < B; b++) {
        const L = validSteps(lengths, b, T);
        for (let t = 0; t < L; t++) {
          const src = (t * B + b) * D;
          for (let d = 0; d < D; d++) dv[b * D + d] = dv[b * D + d]! + dy[src + d]!;
        }
      }
    },
  };
};
