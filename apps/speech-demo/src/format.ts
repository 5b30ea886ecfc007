/** Text formatting for the terminal and the README: aligned tables, percentages, mean ± spread, phone runs. */

/** An aligned plain-text table (first column left-aligned, the others right-aligned). */
export function textTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join("  ")
      .trimEnd();
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
}

/** A Markdown table. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${headers.join(" | ")} |`,
    `|${headers.map((_, c) => (c === 0 ? "---" : "---:")).join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ];
}

/** `0.6421` → `64.2 %`. */
export function pct(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(digits)} %` : "–";
}

/** Mean and sample standard deviation (0 for one value). */
export function meanStd(values: readonly number[]): { mean: number; std: number; n: number } {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN, n };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n < 2 ? 0 : Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { mean, std, n };
}

/** `64.2 ± 0.8 %` (mean ± sample standard deviation over seeds), or `64.2 %` for a single value. */
export function pctSpread(values: readonly number[]): string {
  const { mean, std, n } = meanStd(values);
  if (n === 0) return "–";
  return n < 2 ? pct(mean) : `${(100 * mean).toFixed(1)} ± ${(100 * std).toFixed(1)} %`;
}

/** A run of equal labels: frames [start, end). */
export interface Run {
  readonly label: number;
  readonly start: number;
  readonly end: number;
}

/** Collapses per-frame labels into runs. */
export function runs(labels: ArrayLike<number>): Run[] {
  const out: Run[] = [];
  for (let t = 0; t < labels.length; t++) {
    const last = out.at(-1);
    if (last !== undefined && last.label === labels[t]) out[out.length - 1] = { ...last, end: t + 1 };
    else out.push({ label: labels[t]!, start: t, end: t + 1 });
  }
  return out;
}

/** Seconds as `1.23 s`, or `m:ss` from a minute on. */
export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  // Round to whole seconds first: 179.6 s is 3:00 min, not 2:60.
  const whole = Math.round(seconds);
  const m = Math.floor(whole / 60);
  return `${m}:${String(whole - 60 * m).padStart(2, "0")} min`;
}
