/**
 * @recurrent/onnx — ONNX export of Recurrent models (`exportOnnx`) and an inference backend on onnxruntime-node
 * (`onnxBackend`).
 */

export { type OnnxBackendOptions, onnxBackend } from "./backend.js";
export { OnnxExportError, type OnnxExportErrorCode } from "./export/errors.js";
export { exportOnnx, exportOnnxModel, exportSupport, type OnnxInput, type OnnxModel } from "./export/index.js";
export {
  DEFAULT_OPSET,
  type ExportOptions,
  type InitialStates,
  irVersionFor,
  MAX_OPSET,
  MIN_OPSET,
} from "./export/options.js";
export { stateInputName } from "./export/rnn.js";
