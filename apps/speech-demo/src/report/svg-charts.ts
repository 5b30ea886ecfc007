/**
 * Hand-made SVG charts for the report: line charts (loss curves, accuracy vs data, MFCC trajectories), bar
 * charts with error bars, heat maps (MFCC frames, confusion) and phone strips. Each returns one `<svg>` string
 * with `class="chart"` and a `data-chart` name; no script, no external resource.
 */
import { esc, n, PALETTE, ramp, tickLabel, ticks } from "./svg.js";

/** One line of a line chart. */
export interface Series {
  readonly label: string;
  readonly points: readonly (readonly [number, number])[];
  readonly color?: string;
  readonly dashed?: boolean;
  /** Draw a marker (and optional error bar) at every point. */
  readonly markers?: boolean;
  /** Half-heights of error bars, one per point. */
  readonly errors?: readonly number[];
}

/** Options of {@link lineChart}. */
export interface LineChartOptions {
  readonly name: string;
  readonly title: string;
  readonly series: readonly Series[];
  readonly xLabel: string;
  readonly yLabel: string;
  readonly width?: number;
  readonly height?: number;
  readonly logX?: boolean;
  /** Fixed y range; default the data's. */
  readonly yRange?: readonly [number, number];
  /** Tick values of the x axis; default round numbers. */
  readonly xTicks?: readonly number[];
  readonly xTickLabel?: (v: number) => string;
  readonly yTickLabel?: (v: number) => string;
}

const M = { left: 56, right: 150, top: 30, bottom: 42 };

/** Width of a chart title in px: 12 px bold sans-serif is at most about 7 px per character. */
export const titleWidth = (title: string): number => M.left + Math.ceil(title.length * 7) + 8;

/** The chart's SVG; it is widened (space on the right) when the title would not fit, so no title is clipped. */
function frame(name: string, title: string, plotWidth: number, h: number, body: string): string {
  const w = Math.max(plotWidth, titleWidth(title));
  return (
    `<svg class="chart" data-chart="${esc(name)}" xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" ` +
    `viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(title)}"><title>${esc(title)}</title>` +
    `<text x="${M.left}" y="18" class="t">${esc(title)}</text>${body}</svg>`
  );
}

/** A line chart with axes, ticks and a legend on the right. */
export function lineChart(o: LineChartOptions): string {
  const legend = Math.max(0, ...o.series.map((s) => s.label.length));
  const right = Math.max(M.right, 44 + Math.ceil(legend * 6.2));
  const w = (o.width ?? 640) + right - M.right;
  const h = o.height ?? 300;
  const pw = w - M.left - right;
  const ph = h - M.top - M.bottom;
  const all = o.series.flatMap((s) => s.points.map((p, i) => [p[0], p[1], s.errors?.[i] ?? 0] as const));
  const finite = all.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (finite.length === 0) return frame(o.name, o.title, w, h, `<text x="${M.left}" y="${M.top + 20}">no data</text>`);
  const fx = (v: number) => (o.logX ? Math.log10(v) : v);
  let [x0, x1] = [Math.min(...finite.map((p) => fx(p[0]))), Math.max(...finite.map((p) => fx(p[0])))];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  let [y0, y1] = o.yRange ?? [Math.min(...finite.map((p) => p[1] - p[2])), Math.max(...finite.map((p) => p[1] + p[2]))];
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  const pad = o.yRange ? 0 : (y1 - y0) * 0.05;
  [y0, y1] = [y0 - pad, y1 + pad];
  const X = (v: number) => M.left + ((fx(v) - x0) / (x1 - x0)) * pw;
  const Y = (v: number) => M.top + (1 - (v - y0) / (y1 - y0)) * ph;
  const parts: string[] = [];
  const yt = ticks(y0, y1, 5);
  for (const v of yt) {
    parts.push(
      `<line x1="${M.left}" x2="${M.left + pw}" y1="${n(Y(v))}" y2="${n(Y(v))}" class="g"/>` +
        `<text x="${M.left - 6}" y="${n(Y(v) + 4)}" text-anchor="end">${esc((o.yTickLabel ?? tickLabel)(v))}</text>`,
    );
  }
  const xt = o.xTicks ?? (o.logX ? [] : ticks(x0, x1, 6));
  for (const v of xt) {
    parts.push(
      `<line x1="${n(X(v))}" x2="${n(X(v))}" y1="${M.top + ph}" y2="${M.top + ph + 4}" class="a"/>` +
        `<text x="${n(X(v))}" y="${M.top + ph + 16}" text-anchor="middle">${esc((o.xTickLabel ?? tickLabel)(v))}</text>`,
    );
  }
  parts.push(
    `<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" class="box"/>`,
    `<text x="${M.left + pw / 2}" y="${h - 6}" text-anchor="middle">${esc(o.xLabel)}</text>`,
    `<text transform="translate(14 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`,
  );
  o.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length]!;
    const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (pts.length > 1) {
      parts.push(
        `<polyline class="series" fill="none" stroke="${color}" stroke-width="1.6"${s.dashed ? ' stroke-dasharray="5 3"' : ""} points="${pts.map(([x, y]) => `${n(X(x))},${n(Y(y))}`).join(" ")}"/>`,
      );
    }
    if (s.markers || pts.length === 1) {
      s.points.forEach(([x, y], k) => {
        if (!Number.isFinite(x) || !Number.isFinite(y)) return;
        const e = s.errors?.[k] ?? 0;
        if (e > 0) {
          parts.push(
            `<line x1="${n(X(x))}" x2="${n(X(x))}" y1="${n(Y(y - e))}" y2="${n(Y(y + e))}" stroke="${color}"/>`,
          );
        }
        parts.push(`<circle cx="${n(X(x))}" cy="${n(Y(y))}" r="3" fill="${color}"/>`);
      });
    }
    const ly = M.top + 8 + i * 16;
    parts.push(
      `<line x1="${M.left + pw + 10}" x2="${M.left + pw + 28}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ""}/>` +
        `<text x="${M.left + pw + 32}" y="${ly + 4}" class="l">${esc(s.label)}</text>`,
    );
  });
  return frame(o.name, o.title, w, h, parts.join(""));
}

/** One bar of a bar chart. */
export interface Bar {
  readonly label: string;
  readonly value: number;
  /** Half-height of the error bar (spread over seeds). */
  readonly error?: number;
  readonly color?: string;
  /** Text above the bar; default the value. */
  readonly text?: string;
}

/** A vertical bar chart with optional error bars. */
export function barChart(o: {
  readonly name: string;
  readonly title: string;
  readonly bars: readonly Bar[];
  readonly yLabel: string;
  readonly yRange?: readonly [number, number];
  readonly yTickLabel?: (v: number) => string;
  readonly width?: number;
  readonly height?: number;
}): string {
  const w = o.width ?? 640;
  const h = o.height ?? 300;
  const m = { ...M, right: 20, bottom: 70 };
  const pw = w - m.left - m.right;
  const ph = h - m.top - m.bottom;
  const vals = o.bars.map((b) => b.value + (b.error ?? 0)).filter(Number.isFinite);
  const [y0, y1] = o.yRange ?? [0, Math.max(1e-9, ...vals) * 1.1];
  const Y = (v: number) => m.top + (1 - (v - y0) / (y1 - y0)) * ph;
  const parts: string[] = [];
  for (const v of ticks(y0, y1, 5)) {
    parts.push(
      `<line x1="${m.left}" x2="${m.left + pw}" y1="${n(Y(v))}" y2="${n(Y(v))}" class="g"/>` +
        `<text x="${m.left - 6}" y="${n(Y(v) + 4)}" text-anchor="end">${esc((o.yTickLabel ?? tickLabel)(v))}</text>`,
    );
  }
  const slot = pw / Math.max(1, o.bars.length);
  o.bars.forEach((b, i) => {
    const color = b.color ?? PALETTE[i % PALETTE.length]!;
    const x = m.left + i * slot + slot * 0.15;
    const bw = slot * 0.7;
    const top = Y(Math.max(y0, b.value));
    parts.push(
      `<rect class="bar" x="${n(x)}" y="${n(top)}" width="${n(bw)}" height="${n(m.top + ph - top)}" fill="${color}"/>`,
    );
    if ((b.error ?? 0) > 0) {
      const cx = x + bw / 2;
      parts.push(
        `<line x1="${n(cx)}" x2="${n(cx)}" y1="${n(Y(b.value - b.error!))}" y2="${n(Y(b.value + b.error!))}" stroke="#000"/>` +
          `<line x1="${n(cx - 5)}" x2="${n(cx + 5)}" y1="${n(Y(b.value + b.error!))}" y2="${n(Y(b.value + b.error!))}" stroke="#000"/>`,
      );
    }
    parts.push(
      `<text x="${n(x + bw / 2)}" y="${n(top - 5 - (b.error ? (b.error / (y1 - y0)) * ph : 0))}" text-anchor="middle">${esc(b.text ?? tickLabel(b.value))}</text>`,
      ...wrap(b.label, Math.max(8, Math.floor(slot / 6.2))).map(
        (line, k) =>
          `<text x="${n(x + bw / 2)}" y="${m.top + ph + 14 + 13 * k}" text-anchor="middle" class="l">${esc(line)}</text>`,
      ),
    );
  });
  parts.push(
    `<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" class="box"/>`,
    `<text transform="translate(14 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`,
  );
  return frame(o.name, o.title, w, h, parts.join(""));
}

/** Splits text at spaces into lines of at most `width` characters (a longer word stays whole). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(" ")) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** A heat map of a `[rows, cols]` row-major matrix, row 0 at the bottom unless `topDown`. */
export function heatmap(o: {
  readonly name: string;
  readonly title: string;
  readonly values: ArrayLike<number>;
  readonly rows: number;
  readonly cols: number;
  readonly cell?: readonly [number, number];
  readonly range?: readonly [number, number];
  readonly rowLabels?: readonly string[];
  readonly colLabels?: readonly string[];
  readonly topDown?: boolean;
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** Tooltip per cell. */
  readonly tip?: (r: number, c: number, v: number) => string;
  /**
   * Cells below this value are not drawn one by one: a single background rectangle in the lowest colour stands
   * for them (a posteriorgram is mostly near 0, and a rectangle per cell would make the report megabytes).
   */
  readonly skipBelow?: number;
}): string {
  const [cw, ch] = o.cell ?? [3, 4];
  const left = o.rowLabels ? 48 : 40;
  const top = 28;
  const pw = o.cols * cw;
  const ph = o.rows * ch;
  const w = Math.max(left + pw + 16, M.left + Math.ceil(o.title.length * 6.4));
  const h = top + ph + (o.colLabels ? 34 : 30);
  let lo = o.range?.[0] ?? Number.POSITIVE_INFINITY;
  let hi = o.range?.[1] ?? Number.NEGATIVE_INFINITY;
  if (o.range === undefined) {
    for (let i = 0; i < o.rows * o.cols; i++) {
      const v = o.values[i]!;
      if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    }
  }
  const span = hi > lo ? hi - lo : 1;
  const parts: string[] = [`<g class="cells">`];
  if (o.skipBelow !== undefined)
    parts.push(`<rect x="${left}" y="${top}" width="${pw}" height="${ph}" fill="${ramp(0)}"/>`);
  for (let r = 0; r < o.rows; r++) {
    const y = top + (o.topDown ? r : o.rows - 1 - r) * ch;
    for (let c = 0; c < o.cols; c++) {
      const v = o.values[r * o.cols + c]!;
      if (o.skipBelow !== undefined && v < o.skipBelow) continue;
      const tip = o.tip ? `<title>${esc(o.tip(r, c, v))}</title>` : "";
      parts.push(
        `<rect x="${left + c * cw}" y="${y}" width="${cw}" height="${ch}" fill="${ramp((v - lo) / span)}">${tip}</rect>`,
      );
    }
  }
  parts.push("</g>");
  o.rowLabels?.forEach((label, r) => {
    const y = top + (o.topDown ? r : o.rows - 1 - r) * ch + ch / 2 + 3;
    parts.push(`<text x="${left - 3}" y="${n(y)}" text-anchor="end" class="s">${esc(label)}</text>`);
  });
  o.colLabels?.forEach((label, c) => {
    parts.push(
      `<text transform="translate(${n(left + c * cw + cw / 2 + 3)} ${top + ph + 4}) rotate(90)" class="s">${esc(label)}</text>`,
    );
  });
  if (o.xLabel) parts.push(`<text x="${left + pw / 2}" y="${h - 4}" text-anchor="middle">${esc(o.xLabel)}</text>`);
  if (o.yLabel) {
    parts.push(
      `<text transform="translate(12 ${top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`,
    );
  }
  return frame(o.name, o.title, w, h, parts.join(""));
}

/** Phone strips under a heat map: one row of labelled segments per labelling, frames at `cellWidth` px. */
export function phoneStrips(o: {
  readonly name: string;
  readonly title: string;
  readonly rows: readonly {
    readonly label: string;
    readonly phones: ArrayLike<number>;
    readonly truth?: ArrayLike<number>;
  }[];
  readonly names: readonly string[];
  readonly cellWidth: number;
  readonly left?: number;
}): string {
  const left = o.left ?? 48;
  const rowH = 22;
  const T = o.rows[0]?.phones.length ?? 0;
  const w = Math.max(left + T * o.cellWidth + 16, M.left + Math.ceil(o.title.length * 6.4));
  const h = 28 + o.rows.length * (rowH + 14) + 4;
  const parts: string[] = [];
  o.rows.forEach((row, i) => {
    const y = 28 + i * (rowH + 14);
    parts.push(`<text x="${left}" y="${y + 10}" class="l">${esc(row.label)}</text>`);
    let start = 0;
    for (let t = 1; t <= T; t++) {
      if (t < T && row.phones[t] === row.phones[start]) continue;
      const label = row.phones[start]!;
      let wrong = 0;
      if (row.truth) for (let k = start; k < t; k++) if (row.truth[k] !== label) wrong++;
      const fill = label === 0 ? "#ddd" : PALETTE[label % 6]!;
      const x = left + start * o.cellWidth;
      const sw = (t - start) * o.cellWidth;
      const name = o.names[label] ?? String(label);
      parts.push(
        `<rect class="seg" x="${n(x)}" y="${y + 13}" width="${n(sw)}" height="${rowH}" fill="${fill}" fill-opacity="${row.truth && wrong === t - start ? 0.35 : 0.85}" stroke="#fff"><title>${esc(`${name}: frames ${start}–${t - 1}${row.truth ? `, ${t - start - wrong} of ${t - start} correct` : ""}`)}</title></rect>`,
      );
      if (sw >= 14) {
        parts.push(`<text x="${n(x + sw / 2)}" y="${y + 13 + 15}" text-anchor="middle" class="s">${esc(name)}</text>`);
      }
      start = t;
    }
  });
  return frame(o.name, o.title, w, h, parts.join(""));
}
