/**
 * The app's one error type: every failure the user can cause (bad arguments, unreadable files, a backend that
 * cannot start) becomes a `CliError`, printed as one line, with a non-zero exit status.
 */

/** Stable codes of {@link CliError}. */
export type CliErrorCode =
  | "USAGE"
  | "BAD_OPTION"
  | "FILE"
  | "BAD_MODEL"
  | "BACKEND"
  | "NOT_STREAMABLE"
  | "CHECK_FAILED"
  | "INTERRUPTED";

/**
 * A failure reported to the user as `error: <message>`; `exitCode` 2 for usage errors, 130 for a run stopped by
 * Ctrl-C (the shell's code for SIGINT), 1 otherwise.
 */
export class CliError extends Error {
  override readonly name = "CliError";
  readonly exitCode: number;
  constructor(
    readonly code: CliErrorCode,
    message: string,
  ) {
    super(message);
    this.exitCode = code === "USAGE" || code === "BAD_OPTION" ? 2 : code === "INTERRUPTED" ? 130 : 1;
  }
}

/** One line for any thrown value: its message, without a stack, prefixed by its code when it has one. */
export function describeError(err: unknown): string {
  if (err instanceof CliError) return err.message;
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const first = err.message.split("\n")[0] ?? err.message;
    return typeof code === "string" && !first.startsWith(code) ? `${code}: ${first}` : first;
  }
  return String(err);
}
