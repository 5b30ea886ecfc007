/** `concat`: joins values on the last axis; leading dims agree (checked by validation). */
import { Buffers } from "../engine/buffers.js";
import type { Kernel } from "../engine/kernel.js";

export const concatKernel: Kernel<"concat"> = () => {
  const bufs = new Buffers();
  let widths: number[] = [];
  let rows = 0;
  return {
    forward(inputs) {
      const xs = inputs.map((v) => v!);
      const first = xs[0]!;
      widths = xs.map((v) => v.shape.at(-1)!);
      const total = widths.reduce((a, w) => a + w, 0);
      rows = first.shape.slice(0, -1).reduce((a, d) => a * d, 1);
      const out = bufs.get("y", rows * total);
      let off = 0;
      xs.forEach((v, i) => {
        const w = widths[i]!;
        for (let r = 0; r < rows; r++) out.set(v.data.subarray(r * w, (r + 1) * w), r * total + off);
        off += w;
      });
      const lengths = xs.find((v) => v.lengths !== undefined)?.lengths;
      return [{ shape: [...first.shape.slice(0, -1), total], data: out, lengths }];
    },
    backward([dy], ctx) {
      if (dy === undefined) return;
      const total = widths.reduce((a, w) => a + w, 0);
      let off = 0;
      widths.forEach((w, i) => {
        const dx = ctx.inputGrad(i);
        if (dx) {
          for (let r = 0; r < rows; r++) {
            for (let j = 0; j < w; j++) dx[r * w + j] = dx[r * w + j]! + dy[r * total + off + j]!;
          }
        }
        off += w;
      });
    },
  };
};
