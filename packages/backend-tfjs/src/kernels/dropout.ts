/**
 * `dropout`: inverted dropout while training (each element kept with probability 1 − rate and scaled by
 * 1 / (1 − rate)); identity at inference. Masks are drawn on the host from the run's seeded rng, element by
 * element in row-major order, so a run is reproducible on every tfjs backend and a resumed run is exact.
 */
import { BackendError } from "@recurrent/core";
import type { Kernel } from "../engine/kernel.js";

export const dropoutKernel: Kernel<"dropout"> = (node, [input], ctx) => {
  const x = input!;
  if (!ctx.training || node.rate === 0) return [x];
  if (ctx.rng === undefined) {
    throw new BackendError("BAD_CONFIG", `dropout node "${node.id}": training mode needs an rng (seed)`, node.id);
  }
  const keep = 1 / (1 - node.rate);
  const mask = new Float32Array(x.size);
  for (let i = 0; i < mask.length; i++) mask[i] = ctx.rng.next() >= node.rate ? keep : 0;
  return [ctx.tf.mul(x, ctx.tf.tensor(mask, x.shape, "float32"))];
};
