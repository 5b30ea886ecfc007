/**
 * Progress text with rate and ETA, shared by the terminal bar and the plain line mode used when stderr is not a
 * terminal (pipes, CI logs, `nohup`): there a line is printed at most every `interval` seconds, and at the end.
 */

/** `m:ss` or `h:mm:ss`; `?` for an unknown (non-finite) time. */
export function clock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/**
 * Rate and time left from the progress since `start` (value `startValue` at that time), so that a resumed run's
 * ETA counts only the steps this process took.
 */
export function rateAndEta(
  value: number,
  total: number,
  elapsed: number,
  startValue = 0,
): { rate: number; eta: number } {
  const done = value - startValue;
  const rate = elapsed > 0 && done > 0 ? done / elapsed : Number.NaN;
  return { rate, eta: rate > 0 ? (total - value) / rate : Number.NaN };
}

/** One progress line: `label 120/400 (30%) 3.1/s ETA 1:30 loss 1.234`. */
export function progressLine(
  label: string,
  value: number,
  total: number,
  elapsed: number,
  status = "",
  startValue = 0,
): string {
  const { rate, eta } = rateAndEta(value, total, elapsed, startValue);
  const pct = total > 0 ? Math.floor((100 * value) / total) : 0;
  const r = Number.isFinite(rate) ? (rate >= 10 ? rate.toFixed(0) : rate.toFixed(1)) : "?";
  return `${label} ${value}/${total} (${pct}%) ${r}/s ETA ${clock(eta)} elapsed ${clock(elapsed)}${status ? ` ${status}` : ""}`;
}

/** Plain-mode progress: writes a line when `interval` seconds have passed since the last one, and on stop. */
export function plainProgress(
  write: (line: string) => void,
  label: string,
  total: number,
  options: { readonly interval?: number; readonly now?: () => number } = {},
): { update(value: number, status?: string): void; stop(): void } {
  const now = options.now ?? (() => performance.now() / 1000);
  const interval = options.interval ?? 10;
  const started = now();
  let startValue: number | undefined;
  let last = started;
  let state = { value: 0, status: "" };
  let printed = -1;
  const print = () => {
    write(progressLine(label, state.value, total, now() - started, state.status, startValue ?? 0));
    printed = state.value;
    last = now();
  };
  return {
    update(value, status = "") {
      // The first update fixes the starting point (a resumed run starts past 0).
      startValue ??= value > 0 ? value - 1 : 0;
      state = { value, status };
      if (now() - last >= interval) print();
    },
    stop() {
      if (printed !== state.value && startValue !== undefined) print();
    },
  };
}
