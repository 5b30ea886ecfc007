/** `lastStep`: `y[b] = x[L_b − 1, b]` → `[B, D]`, zeros for a sample of length 0. */
import { Buffers } from "../engine/buffers.js";
import type { Kernel } from "../engine/kernel.js";
import { type Value, validSteps } from "../engine/value.js";

export const lastStepKernel: Kernel<"lastStep"> = () => {
  const bufs = new Buffers();
  let x: Value | undefined;
  return {
    forward([input]) {
      x = input!;
      const [T, B, D] = x.shape as [number, number, number];
      const out = bufs.zeros("y", B * D);
      for (let b = 0; b < B; b++) {
        const L = validSteps(x.lengths, b, T);
        if (L > 0) out.set(x.data.subarray(((L - 1) * B + b) * D, ((L - 1) * B + b + 1) * D), b * D);
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
        const dst = ((L - 1) * B + b) * D;
        for (let d = 0; d < D; d++) dx[dst + d] = dx[dst + d]! + dy[b * D + d]!;
      }
    },
  };
};
