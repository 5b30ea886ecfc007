/**
 * The one error type of @recurrent/speech. Every failure carries a stable `code`; the message names the
 * file or field, what was expected, what was found, and a hint.
 */

/** Stable error codes, one per failure kind (tests and callers branch on these, never on messages). */
export type SpeechErrorCode =
  | "WAV_NOT_RIFF"
  | "WAV_TRUNCATED"
  | "WAV_MALFORMED"
  | "WAV_UNSUPPORTED"
  | "RESAMPLE_BAD_RATE"
  | "RESAMPLE_RATIO"
  | "MFCC_BAD_INPUT"
  | "PHN_PARSE"
  | "LABEL_UNKNOWN"
  | "LABEL_UNCOVERED"
  | "CMVN_MISMATCH"
  | "CMVN_BAD_STATS"
  | "CORPUS_FORMAT"
  | "CORPUS_UNKNOWN_UTTERANCE"
  | "SPLIT_BAD_FRACTIONS"
  | "BATCH_BAD_INPUT";

/** Thrown by every function of this package for bad input; `code` says which check failed. */
export class SpeechError extends Error {
  override readonly name = "SpeechError";
  readonly code: SpeechErrorCode;

  constructor(code: SpeechErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.code = code;
  }
}
