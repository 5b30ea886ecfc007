/**
 * `dropout`: inverted dropout while training (each element kept with probability 1 − rate and scaled by
 * 1 / (1 − rate), masks drawn from the run's rng); identity at inference.
 */
import { BackendError } from "@recurrent/core";
import { Buffers } from "../engine/buffers.js";
import type { Kernel } from "../engine/kernel.js";
import type { Value } from "../engine/value.js";

export const dropoutKernel: Kernel<"dropout"> = (node) => {
  const bufs = new Buffers();
  let mask: Float32Array | undefined;
  return {
    forward([input], ctx) {
      const x = input!;
      if (!ctx.training || node.rate === 0) {
        mask = undefined;
        return [x];
      }
      if (ctx.rng === undefined) {
        throw new BackendError(
          "BAD_CONFIG",
          `dropout node "${node.id}": training mode needs an rng; pass { training: true, rng: createRng(seed) }`,
          node.id,
        );
      }
      const keep = 1 / (1 - node.rate);
      const m = bufs.get("mask", x.data.length);
      const out = bufs.get("y", x.data.length);
      for (let i = 0; i < m.length; i++) {
        m[i] = ctx.rng.next() >= node.rate ? keep : 0;
        out[i] = x.data[i]! * m[i]!;
      }
      mask = m;
      const y: Value = { shape: x.shape, data: out, lengths: x.lengths };
      return [y];
    },
    backward([dy], ctx) {
      const dx = ctx.inputGrad(0);
      if (dy === undefined || dx === undefined) return;
      if (mask === undefined) for (let i = 0; i < dx.length; i++) dx[i] = dx[i]! + dy[i]!;
      else for (let i = 0; i < dx.length; i++) dx[i] = dx[i]! + dy[i]! * mask[i]!;
    },
  };
};
