/** `activation`: an elementwise nonlinearity (softmax over the last axis); padded frames stay zero. */

import { Buffers } from "../engine/buffers.js";
import type { Kernel } from "../engine/kernel.js";
import { type Value, zeroPadded } from "../engine/value.js";
import { activate, activateBackward } from "../math/activations.js";

export const activationKernel: Kernel<"activation"> = (node) => {
  const bufs = new Buffers();
  let y: Value | undefined;
  return {
    forward([input]) {
      const x = input!;
      const n = x.shape.at(-1)!;
      const rows = x.data.length / Math.max(n, 1);
      const out = bufs.get("y", x.data.length);
      out.set(x.data);
      activate(node.activation, out, rows, n);
      if (x.shape.length === 3) zeroPadded(out, x.shape[0]!, x.shape[1]!, n, x.lengths);
      y = { shape: x.shape, data: out, lengths: x.lengths };
      return [y];
    },
    backward([dy], ctx) {
      const dx = ctx.inputGrad(0);
      if (dy === undefined || dx === undefined || y === undefined) return;
      const n = y.shape.at(-1)!;
      const rows = y.data.length / Math.max(n, 1);
      const dz = bufs.get("dz", y.data.length);
      activateBackward(node.activation, y.data, dy, dz, rows, n);
      if (y.shape.length === 3) zeroPadded(dz, y.shape[0]!, y.shape[1]!, n, y.lengths);
      for (let i = 0; i < dz.length; i++) dx[i] = dx[i]! + dz[i]!;
    },
  };
};
