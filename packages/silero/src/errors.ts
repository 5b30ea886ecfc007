/**
 * The one error type of @recurrent/silero. Every failure carries a stable `code`; the message names the argument,
 * what was expected and what was found.
 */

/** Stable error codes, one per failure kind (callers branch on these, never on messages). */
export type SileroErrorCode =
  /** Audio at a rate the 16 kHz model cannot read (8 kHz included: the 16k file has no 8 kHz branch). */
  | "BAD_SAMPLE_RATE"
  /** A streamed chunk that is not 512 samples. */
  | "BAD_CHUNK"
  /** A safetensors file or weights that are not Silero VAD's. */
  | "BAD_WEIGHTS"
  /** Scores, labels or segments that do not fit together. */
  | "BAD_INPUT"
  /** An option out of range. */
  | "BAD_OPTIONS";

/** Thrown by this package for bad input; `code` says which check failed. */
export class SileroError extends Error {
  override readonly name = "SileroError";
  readonly code: SileroErrorCode;

  constructor(code: SileroErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.code = code;
  }
}
