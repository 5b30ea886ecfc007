/** Test helpers: random feeds and models (not part of the package build). */
import {
  assertValid,
  createRng,
  type Graph,
  initWeights,
  type Tensor,
  type ValidModel,
  type Weights,
} from "@recurrent/core";

/** A float tensor of uniform values in [-scale, scale) from `seed`. */
export function randomTensor(shape: readonly number[], seed: number, scale = 1): Tensor {
  const rng = createRng(seed, "test-tensor");
  const data = new Float32Array(shape.reduce((a, d) => a * d, 1));
  for (let i = 0; i < data.length; i++) data[i] = (rng.next() * 2 - 1) * scale;
  return { shape: [...shape], data };
}

/** Zeros frames t >= lengths[b] of a [T, B, D] tensor (a padded batch). */
export function pad(x: Tensor, lengths: Int32Array): Tensor {
  const [T, B, D] = x.shape as [number, number, number];
  const data = x.data.slice();
  for (let b = 0; b < B; b++) for (let t = lengths[b]!; t < T; t++) data.fill(0, (t * B + b) * D, (t * B + b + 1) * D);
  return { shape: [T, B, D], data };
}

/** A validated model and weights drawn with `seed`, every weight scaled so that activations stay moderate. */
export function modelOf(graph: Graph, seed = 1): { model: ValidModel; weights: Weights } {
  const model = assertValid(graph);
  const init = initWeights(model, { seed });
  // Non-zero biases everywhere, so that bias gradients and padded-step masking are really exercised.
  const weights: Record<string, Tensor> = {};
  for (const [key, w] of Object.entries(init)) {
    weights[key] = key.includes("bias") ? randomTensor(w.shape, seed + key.length, 0.3) : w;
  }
  return { model, weights };
}
