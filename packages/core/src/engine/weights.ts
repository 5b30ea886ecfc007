/**
 * The weights a backend compiles or trains with, checked once for every backend: every parameter of the model
 * present, with its exact shape and a Float32Array of that many values, every value finite (as `loadModel`
 * demands; a NaN weight would otherwise turn every output into NaN without a word).
 */
import { BackendError } from "../backend/errors.js";
import type { ValidModel } from "../ir/valid-model.js";
import { formatShape, type Tensor } from "../tensor/tensor.js";
import type { Weights } from "../weights/weights.js";

/**
 * The model's parameters in spec order (keyed `nodeId/param`), each checked against `weights`. Extra keys are
 * ignored. The returned tensors share `weights`' data (copy before mutating).
 * @param caller names the operation in messages (`"compile"`, `"trainer"`, `"gradients"`, `"restore"`).
 * @throws BackendError WEIGHTS naming the key when a weight is missing or its shape or data length is wrong;
 *   NON_FINITE naming the key, the value and its flat index when a value is NaN or ±Infinity.
 */
export function checkEngineWeights(model: ValidModel, weights: Weights, caller: string): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const [nodeId, specs] of model.info.params) {
    for (const spec of specs) {
      const key = `${nodeId}/${spec.name}`;
      const w = Object.hasOwn(weights, key) ? weights[key] : undefined;
      if (w === undefined) {
        throw new BackendError(
          "WEIGHTS",
          `${caller}: missing weight "${key}" of shape ${formatShape(spec.shape)}; hint: initWeights(model) makes every weight`,
          nodeId,
        );
      }
      const size = spec.shape.reduce((a, d) => a * d, 1);
      const shape = Array.isArray(w.shape) ? w.shape : [];
      const sameShape = shape.length === spec.shape.length && shape.every((d, i) => d === spec.shape[i]);
      if (!sameShape || !(w.data instanceof Float32Array) || w.data.length !== size) {
        throw new BackendError(
          "WEIGHTS",
          `${caller}: weight "${key}" has shape ${Array.isArray(w.shape) ? formatShape(w.shape) : String(w.shape)} ` +
            `(${w.data instanceof Float32Array ? `${w.data.length} values` : "no Float32Array data"}), expected ${formatShape(spec.shape)}`,
          nodeId,
        );
      }
      const data = w.data;
      for (let i = 0; i < size; i++) {
        const v = data[i]!;
        // x - x is 0 for every finite x, NaN for NaN and ±Infinity.
        if (v - v !== 0) {
          throw new BackendError(
            "NON_FINITE",
            `${caller}: weight "${key}" has a non-finite value ${v} at flat index ${i} of ${formatShape(spec.shape)}`,
            nodeId,
          );
        }
      }
      out.set(key, { shape: [...spec.shape], data });
    }
  }
  return out;
}
