/** `add`: elementwise sum of values of one shape. */
import { Buffers } from "../engine/buffers.js";
import type { Kernel } from "../engine/kernel.js";

export const addKernel: Kernel<"add"> = () => {
  const bufs = new Buffers();
  let count = 0;
  return {
    forward(inputs) {
      const xs = inputs.map((v) => v!);
      const first = xs[0]!;
      count = xs.length;
      const out = bufs.get("y", first.data.length);
      out.set(first.data);
      for (let i = 1; i < xs.length; i++) {
        const d = xs[i]!.data;
        for (let j = 0; j < out.length; j++) out[j] = out[j]! + d[j]!;
      }
      const lengths = xs.find((v) => v.lengths !== undefined)?.lengths;
      return [{ shape: first.shape, data: out, lengths }];
    },
    backward([dy], ctx) {
      if (dy === undefined) return;
      for (let i = 0; i < count; i++) {
        const dx = ctx.inputGrad(i);
        if (dx) for (let j = 0; j < dx.length; j++) dx[j] = dx[j]! + dy[j]!;
      }
    },
  };
};
