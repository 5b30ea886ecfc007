/**
 * `magnitude`: features `[re_0 … re_{H−1}, im_0 … im_{H−1}]` → `y_k = √(re_k² + im_k²)`, per frame (an STFT's
 * magnitude spectrum, Silero's layout). Gradient `dre_k = dy_k·re_k / y_k`, `dim_k = dy_k·im_k / y_k`, taken as 0
 * where `y_k = 0` (PyTorch gives NaN there). Padded frames hold zeros, so they give zeros.
 */
import { Buffers } from "../engine/buffers.js";
import type { Kernel } from "../engine/kernel.js";
import type { Value } from "../engine/value.js";

export const magnitudeKernel: Kernel<"magnitude"> = () => {
  const bufs = new Buffers();
  let x: Value | undefined;
  return {
    forward([input]) {
      x = input!;
      const D = x.shape.at(-1)!;
      const H = D / 2;
      const rows = x.data.length / Math.max(D, 1);
      const xd = x.data;
      const out = bufs.get("y", rows * H);
      for (let r = 0; r < rows; r++) {
        const src = r * D;
        const dst = r * H;
        for (let k = 0; k < H; k++) {
          const re = xd[src + k]!;
          const im = xd[src + H + k]!;
          out[dst + k] = Math.sqrt(re * re + im * im);
        }
      }
      return [{ shape: [...x.shape.slice(0, -1), H], data: out, lengths: x.lengths }];
    },
    backward([dy], ctx) {
      const dx = ctx.inputGrad(0);
      if (dy === undefined || dx === undefined || x === undefined) return;
      const D = x.shape.at(-1)!;
      const H = D / 2;
      const rows = x.data.length / Math.max(D, 1);
      const xd = x.data;
      for (let r = 0; r < rows; r++) {
        const src = r * D;
        for (let k = 0; k < H; k++) {
          const re = xd[src + k]!;
          const im = xd[src + H + k]!;
          // Recomputed in float64 rather than read back from the float32 output.
          const m = Math.sqrt(re * re + im * im);
          if (m === 0) continue;
          const g = dy[r * H + k]! / m;
          dx[src + k] = dx[src + k]! + g * re;
          dx[src + H + k] = dx[src + H + k]! + g * im;
        }
      }
    },
  };
};
