/** Why an export was refused. */
export type OnnxExportErrorCode =
  /** A node (or an option of it) has no faithful ONNX form. */
  | "UNSUPPORTED"
  /** A weight the node needs is missing or has the wrong shape. */
  | "WEIGHTS"
  /** An export option is out of range (e.g. an opset onnxruntime 1.30 does not accept). */
  | "BAD_OPTIONS"
  /** Two ONNX values would get one name (e.g. a node id that looks like a state input `<id>/h_0`). */
  | "NAME_CLASH";

/**
 * The model cannot be exported as asked. The message names the node (when there is one), what was expected,
 * what was found, and a hint; nothing is ever exported with silently different semantics.
 */
export class OnnxExportError extends Error {
  override readonly name = "OnnxExportError";
  constructor(
    readonly code: OnnxExportErrorCode,
    message: string,
    readonly nodeId?: string,
  ) {
    super(message);
  }
}
