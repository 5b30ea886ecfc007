/**
 * @recurrent/core — the IR, builders, shape inference, validation, weights, serialization, backend
 * interfaces, the backend registry and the training loop. No runtime dependencies; runs in Node and browsers.
 * File I/O helpers live in the separate `@recurrent/core/node` entry.
 */

export * from "./backend/backend.js";
export * from "./backend/check-feeds.js";
export * from "./backend/errors.js";
export * from "./backend/registry.js";
export * from "./io/model-file.js";
export * from "./io/safetensors.js";
export * from "./io/torch.js";
export * from "./ir/builders.js";
export * from "./ir/cells.js";
export * from "./ir/errors.js";
export * from "./ir/infer.js";
export * from "./ir/json.js";
export * from "./ir/nodes.js";
export { LIMITS } from "./ir/options.js";
export * from "./ir/params.js";
export * from "./ir/resample.js";
export type { ModelInfo, ValidModel } from "./ir/valid-model.js";
export * from "./ir/validate.js";
export * from "./tensor/batch.js";
export * from "./tensor/tensor.js";
export * from "./train/check-batch.js";
export * from "./train/checkpoint.js";
export * from "./train/config.js";
export * from "./train/dataset.js";
export * from "./train/errors.js";
export * from "./train/fit.js";
export * from "./train/loss-target.js";
export * from "./train/optimizer-config.js";
export * from "./train/resolve-config.js";
export * from "./train/schedules.js";
export * from "./train/stream.js";
export * from "./train/tbptt.js";
export * from "./weights/init.js";
export * from "./weights/random.js";
export * from "./weights/weights.js";
