/**
 * Where the app writes: results on stdout, messages and progress bars on stderr. Commands take an `Io` so that
 * tests run them in-process and read what they printed.
 */
import cliProgress from "cli-progress";

/** A progress bar (a no-op where stderr is not a terminal). */
export interface Progress {
  /** Sets the position (0..total) and an optional short status text. */
  update(value: number, status?: string): void;
  stop(): void;
}

/** The app's output channels. */
export interface Io {
  /** One line of results (stdout). */
  out(line: string): void;
  /** One line of messages (stderr). */
  err(line: string): void;
  /** A progress bar on stderr with `total` steps. */
  progress(label: string, total: number): Progress;
}

const noProgress: Progress = { update() {}, stop() {} };

/**
 * The process's stdout / stderr. Progress bars are drawn only when stderr is a TTY (never in pipes, CI or tests).
 */
export function processIo(): Io {
  const tty = process.stderr.isTTY === true;
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    progress(label, total) {
      if (!tty) return noProgress;
      const bar = new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: `${label.padEnd(22)} [{bar}] {value}/{total} {status}`,
          hideCursor: true,
          clearOnComplete: true,
          barsize: 24,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { status: "" });
      return {
        update: (value, status = "") => bar.update(value, { status }),
        stop: () => bar.stop(),
      };
    },
  };
}

/** An `Io` that records lines (tests, and callers that want the text). */
export function memoryIo(): Io & { readonly stdout: string[]; readonly stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
    progress: () => noProgress,
  };
}
