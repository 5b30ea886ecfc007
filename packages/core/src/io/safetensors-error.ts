/** Why a `.safetensors` buffer could not be encoded or decoded. */
export type SafetensorsErrorCode =
  /** The input is not a Uint8Array. */
  | "BAD_INPUT"
  /** Fewer bytes than the 8-byte length prefix, or than the header length it announces. */
  | "TRUNCATED"
  /** The announced header length exceeds 100 MB. */
  | "HEADER_TOO_LARGE"
  /** The header is not valid UTF-8, not JSON, or not a JSON object. */
  | "BAD_HEADER_JSON"
  /** A tensor entry lacks `dtype`/`shape`/`data_offsets`, has a bad one, or has unknown fields. */
  | "BAD_ENTRY"
  /** A dtype other than F32, F64, F16, BF16. */
  | "BAD_DTYPE"
  /** A tensor's byte range ends past the data section. */
  | "OFFSETS_OUT_OF_RANGE"
  /** Two tensors' byte ranges overlap. */
  | "OFFSETS_OVERLAP"
  /** Unused bytes between two tensors. */
  | "OFFSETS_GAP"
  /** A tensor's byte range does not hold prod(shape)·dtype-size bytes. */
  | "SIZE_MISMATCH"
  /** `__metadata__` is not an object of string values. */
  | "BAD_METADATA"
  /** Bytes after the last tensor. */
  | "TRAILING_DATA"
  /** A tensor handed to the encoder is malformed (bad name, shape, or data length). */
  | "BAD_TENSOR";

/** Error raised by `encodeSafetensors` / `decodeSafetensors`; the message names the tensor and expected vs found. */
export class SafetensorsError extends Error {
  override readonly name = "SafetensorsError";
  constructor(
    readonly code: SafetensorsErrorCode,
    message: string,
    /** The tensor the problem is about, when there is one. */
    readonly tensor?: string,
  ) {
    super(message);
  }
}
