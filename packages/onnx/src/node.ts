/**
 * @recurrent/onnx/node — the inference backend on onnxruntime-node. A separate entry so that exporting (the main
 * entry) needs no onnxruntime; onnxruntime-node is an optional peer dependency, imported by the first `compile`.
 */
export { type OnnxBackendOptions, onnxBackend } from "./backend.js";
export { openOnnx } from "./open.js";
