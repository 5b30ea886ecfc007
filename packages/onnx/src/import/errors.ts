/** Errors of `importOnnx`. */

/** Why an import failed: bytes not a model, opset out of range, a node that cannot become IR, a bad graph. */
export type OnnxImportErrorCode = "NOT_ONNX" | "OPSET" | "UNSUPPORTED_NODE" | "DYNAMIC" | "BAD_GRAPH";

/**
 * An ONNX file that `importOnnx` cannot turn into a Recurrent model. For a node, the message names it (its name,
 * or `#index` when unnamed), its op type and why; `node` and `opType` carry the same.
 */
export class OnnxImportError extends Error {
  override readonly name = "OnnxImportError";
  constructor(
    readonly code: OnnxImportErrorCode,
    message: string,
    readonly node?: string,
    readonly opType?: string,
  ) {
    super(message);
  }
}
