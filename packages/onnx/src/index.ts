/**
 * @recurrent/onnx — ONNX export of Recurrent models (`exportOnnx`). Browser-safe: no onnxruntime, no `node:`.
 * The inference backend on onnxruntime-node, `onnxBackend`, is in `@recurrent/onnx/node`.
 */

export { OnnxExportError, type OnnxExportErrorCode } from "./export/errors.js";
export {
  exportOnnx,
  exportOnnxModel,
  exportOnnxProto,
  exportSupport,
  type OnnxInput,
  type OnnxModel,
  type OnnxModelProto,
} from "./export/index.js";
export {
  type CmvnStats,
  METADATA_KEYS,
  METADATA_PREFIX,
  METADATA_VERSION,
  type OnnxMetadataOptions,
  type OnnxStatePair,
} from "./export/metadata.js";
export {
  DEFAULT_OPSET,
  type ExportOptions,
  irVersionFor,
  MAX_OPSET,
  MIN_OPSET,
} from "./export/options.js";
export { stateInputName } from "./export/rnn.js";
export { OnnxImportError, type OnnxImportErrorCode } from "./import/errors.js";
export {
  type ImportedOnnx,
  type ImportOptions,
  importOnnx,
  MAX_IMPORT_OPSET,
  MIN_IMPORT_OPSET,
} from "./import/importer.js";
export {
  type Binding,
  type BindingPart,
  fromImportedResults,
  type ImportedIo,
  ImportedIoError,
  type OnnxTensorLike,
  toImportedFeeds,
} from "./import/io.js";
// The ONNX messages as plain objects and their encoder: for wrappers that edit an exported graph.
export {
  type AttributeProto,
  DataType as OnnxDataType,
  type DataTypeCode as OnnxDataTypeCode,
  encodeModel as encodeOnnxModel,
  type GraphProto,
  type ModelProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from "./proto/onnx.js";
