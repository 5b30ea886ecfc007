/** Error raised by backends and the registry; `code` is stable, the message says what, where and how to fix. */
export class BackendError extends Error {
  override readonly name = "BackendError";
  constructor(
    readonly code: BackendErrorCode,
    message: string,
    readonly nodeId?: string,
  ) {
    super(message);
  }
}

export type BackendErrorCode =
  | "MISSING_FEED"
  | "UNKNOWN_FEED"
  | "FEED_SHAPE"
  | "BAD_LENGTHS"
  | "NON_FINITE"
  | "UNSUPPORTED"
  | "WEIGHTS"
  | "BAD_CONFIG"
  | "NO_BACKEND"
  | "DUPLICATE_BACKEND"
  | "DISPOSED"
  | "STREAM";
