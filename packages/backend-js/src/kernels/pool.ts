/**
 * `pool`: mean or max over each sample's valid steps → `[B, D]`, zeros for length 0. Max sends its gradient to
 * the first step holding the maximum.
 */
import { Buffers } from "../engine/buffers.js";
import type { Kernel } from "../engine/kernel.js";
import { type Value, validSteps } from "../engine/value.js";

export const poolKernel: Kernel<"pool"> = (node) => {
  const bufs = new Buffers();
  let x: Value | undefined;
  let argmax = new Int32Array(0);
  return {
    forward([input]) {
      x = input!;
      const [T, B, D] = x.shape as [number, number, number];
      const xd = x.data;
      const out = bufs.zeros("y", B * D);
      if (node.mode === "max" && argmax.length !== B * D) argmax = new Int32Array(B * D);
      for (let b = 0; b < B; b++) {
        const L = validSteps(x.lengths, b, T);
        if (L === 0) continue;
        for (let d = 0; d < D; d++) {
          if (node.mode === "mean") {
            let s = 0;
            for (let t = 0; t < L; t++) s += xd[(t * B + b) * D + d]!;
            out[b * D + d] = s / L;
          } else {
            let best = xd[b * D + d]!;
            let at = 0;
            for (let t = 1; t < L; t++) {
              const v = xd[(t * B + b) * D + d]!;
              if (v > best) {
                best = v;
                at = t;
              }
            }
            out[b * D + d] = best;
            argmax[b * D + d] = at;
          }
        }
      }
      return [{ shape: [B, D], data: out, lengths: undefined }];
    },
    backward([dy], ctx) {
      const dx = ctx.inputGrad(0);
      if (dy === undefined || dx === undefined || x === undefined) return;
      const [T, B, D] = x.shape as [number, number, number];
      for (let b = 0; b < B; b++) {
        const L = validSteps(x.lengths, b, T);
        if (L === 0) continue;
        for (let d = 0; d < D; d++) {
          const g = dy[b * D + d]!;
          if (node.mode === "mean") {
            for (let t = 0; t < L; t++) dx[(t * B + b) * D + d] = dx[(t * B + b) * D + d]! + g / L;
          } else {
            const i = (argmax[b * D + d]! * B + b) * D + d;
            dx[i] = dx[i]! + g;
          }
        }
      }
    },
  };
};
