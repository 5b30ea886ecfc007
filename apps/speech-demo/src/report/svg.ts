/** Small helpers for hand-written SVG: escaping, number formatting, a palette and nice axis ticks. */

/** Escapes text for XML content and attribute values. */
export function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A coordinate with at most 2 decimals (keeps the file small). */
export const n = (v: number): string => String(Math.round(v * 100) / 100);

/** Eight distinguishable colours (Okabe–Ito plus grey). */
export const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#999999", "#000000"];

/** About `count` round tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number((Math.round(v / step) * step).toPrecision(12)));
  return out;
}

/** Tick label: integers plain, small numbers with enough decimals. */
export function tickLabel(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return v.toFixed(a >= 10 ? 0 : a >= 1 ? 1 : a >= 0.1 ? 2 : 3);
}

/** A colour on a perceptual-ish dark-blue → yellow ramp for t in [0, 1]. */
export function ramp(t: number): string {
  const c = Math.max(0, Math.min(1, t));
  const stops = [
    [13, 8, 135],
    [126, 3, 168],
    [204, 71, 120],
    [248, 149, 64],
    [240, 249, 33],
  ];
  const x = c * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [stops[i]!, stops[i + 1]!];
  const ch = (k: number) => Math.round(a[k]! + (b[k]! - a[k]!) * f);
  return `rgb(${ch(0)},${ch(1)},${ch(2)})`;
}
