/** Why a conformance check failed; `code` is stable, the message names the case, the value and the fix. */
export type ConformanceErrorCode =
  | "UNKNOWN_CASE"
  | "BAD_FIXTURE"
  | "MISMATCH"
  | "EXPECTED_FAILURE_PASSED"
  | "UNKNOWN_EXPECTED_FAILURE";

/** Raised by fixture loading and by the conformance runner. */
export class ConformanceError extends Error {
  override readonly name = "ConformanceError";
  constructor(
    readonly code: ConformanceErrorCode,
    message: string,
    /** The case concerned, when there is one. */
    readonly caseName?: string,
  ) {
    super(message);
  }
}
