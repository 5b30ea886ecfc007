/** Checking the weights a model is compiled or trained with against its parameter specs. */
import { BackendError, formatShape, type Tensor, type ValidModel, type Weights } from "@recurrent/core";

/**
 * The model's parameters in spec order, each checked against `weights`.
 * @throws BackendError WEIGHTS naming the key when a weight is missing or its shape or data length is wrong.
 */
export function checkWeights(model: ValidModel, weights: Weights, caller = "compile"): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const [nodeId, specs] of model.info.params) {
    for (const spec of specs) {
      const key = `${nodeId}/${spec.name}`;
      const w = weights[key];
      if (w === undefined) {
        throw new BackendError(
          "WEIGHTS",
          `${caller}: missing weight "${key}" of shape ${formatShape(spec.shape)}; hint: initWeights(model) makes every weight`,
          nodeId,
        );
      }
      const size = spec.shape.reduce((a, d) => a * d, 1);
      const sameShape = w.shape.length === spec.shape.length && w.shape.every((d, i) => d === spec.shape[i]);
      if (!sameShape || !(w.data instanceof Float32Array) || w.data.length !== size) {
        throw new BackendError(
          "WEIGHTS",
          `${caller}: weight "${key}" has shape ${formatShape(w.shape)} (${w.data?.length} values), expected ${formatShape(spec.shape)}`,
          nodeId,
        );
      }
      out.set(key, { shape: [...spec.shape], data: w.data });
    }
  }
  return out;
}
