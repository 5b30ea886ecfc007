/**
 * Where the app writes: results on stdout, messages and progress bars on stderr. Commands take an `Io` so that
 * tests run them in-process and read what they printed.
 */
import cliProgress from "cli-progress";
import { clock, plainProgress, rateAndEta } from "./progress.js";

/** A progress bar on a terminal; plain progress lines elsewhere (see `processIo`). */
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
 * The process's stdout / stderr. On a terminal, progress is a bar with rate and ETA (the cursor is hidden while
 * it draws and shown again by `stop`); when stderr is not a terminal, a plain line with the same facts every
 * `RECURRENT_PROGRESS_INTERVAL` seconds (default 10) and at the end, so piped and logged runs show progress too.
 */
export function processIo(): Io {
  const tty = process.stderr.isTTY === true;
  const err = (line: string) => process.stderr.write(`${line}\n`);
  // `recurrent-speech predict … | head`: the reader went away; stop quietly, as other command-line tools do.
  process.stdout.once("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err,
    progress(label, total) {
      if (!tty) {
        const interval = Number(process.env.RECURRENT_PROGRESS_INTERVAL ?? 10);
        return plainProgress(err, label, total, { interval: Number.isFinite(interval) ? interval : 10 });
      }
      const bar = new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: `${label.padEnd(22)} [{bar}] {value}/{total} {rate}/s ETA {etaText} {status}`,
          hideCursor: true,
          clearOnComplete: true,
          barsize: 24,
        },
        cliProgress.Presets.shades_classic,
      );
      const started = performance.now() / 1000;
      let startValue: number | undefined;
      bar.start(total, 0, { status: "", rate: "?", etaText: "?" });
      // Ctrl-C while the bar hides the cursor: show it again. A command that handles SIGINT itself (train --data
      // checkpoints) has its own listener and carries on; otherwise the process exits as SIGINT would (130).
      const onSigint = () => {
        bar.stop();
        if (process.listenerCount("SIGINT") <= 1) process.exit(130);
      };
      process.on("SIGINT", onSigint);
      return {
        update: (value, status = "") => {
          startValue ??= value > 0 ? value - 1 : 0;
          const { rate, eta } = rateAndEta(value, total, performance.now() / 1000 - started, startValue);
          bar.update(value, { status, rate: Number.isFinite(rate) ? rate.toFixed(1) : "?", etaText: clock(eta) });
        },
        stop: () => {
          process.off("SIGINT", onSigint);
          bar.stop();
        },
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
