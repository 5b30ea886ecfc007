/**
 * The HTML report: one self-contained file (inline CSS and SVG, no script, nothing fetched) that opens offline.
 * It shows the result tables, loss curves, accuracy per model and vs the amount of training data, one test
 * utterance's MFCC frames with true vs predicted phones, the confusion matrix of the best model, predicted vs
 * actual MFCC trajectories for next-frame prediction, and the streaming and ONNX checks.
 */
import { pctLabel, type RunRecord } from "../experiment.js";
import { meanStd } from "../format.js";
import { type ShippedEvaluation, shippedRows } from "../shipped.js";
import type { Table } from "../summary.js";
import { esc, PALETTE } from "./svg.js";
import { barChart, heatmap, lineChart, phoneStrips } from "./svg-charts.js";

/** Everything the report shows. */
export interface ReportData {
  readonly mode: "compact" | "full";
  readonly generated: string;
  readonly command: string;
  readonly machine: string;
  readonly seconds: number;
  readonly settings: Readonly<Record<string, string>>;
  readonly records: readonly RunRecord[];
  readonly classifyTable: Table;
  readonly nextFrameTable: Table;
  readonly phoneNames: readonly string[];
  /** One test utterance: raw MFCC-39 `[T, 39]`, true labels, and per-model predictions. */
  readonly view?: {
    readonly id: string;
    readonly text: string;
    readonly frames: Float32Array;
    readonly labels: ArrayLike<number>;
    readonly predictions: readonly { readonly label: string; readonly phones: ArrayLike<number> }[];
  };
  readonly confusion?: { readonly label: string; readonly matrix: ArrayLike<number> };
  /** Next-frame: normalized statics `[T, 13]` of the view utterance and each model's predictions `[T − k, 13]`. */
  readonly trajectories?: {
    readonly id: string;
    readonly horizon: number;
    readonly actual: Float32Array;
    readonly predictions: readonly { readonly label: string; readonly values: ArrayLike<number> }[];
  };
  readonly streaming?: {
    readonly wav: string;
    readonly model: string;
    readonly frames: number;
    readonly mean: number;
    readonly p50: number;
    readonly p95: number;
    readonly max: number;
    readonly lookaheadMs: number;
    readonly maxDiffToWhole: number;
    readonly refusal?: string;
  };
  readonly onnx?: {
    readonly model: string;
    readonly path: string;
    readonly bytes: number;
    readonly maxAbsDiff: number;
    readonly argmaxMismatches: number;
    readonly frames: number;
  };
  /** Findings in words (each one measured, including claims that do not hold). */
  readonly findings: readonly string[];
  /** The shipped full-size models scored on the test utterances, with the view utterance's true phones. */
  readonly shipped?: readonly (ShippedEvaluation & { readonly truth: ArrayLike<number> })[];
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#222}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}th{background:#f4f4f4}
.chart{display:block;margin:10px 0;max-width:100%;height:auto}.chart text{font:11px sans-serif;fill:#222}
.chart .t{font-weight:600;font-size:12px}.chart .s{font-size:9px}.chart .l{font-size:11px}
.chart .g{stroke:#eee}.chart .a{stroke:#444}.chart .box{fill:none;stroke:#888}
.scroll{overflow-x:auto}.note{color:#555}code{background:#f4f4f4;padding:0 3px}
ul.findings li{margin:4px 0}
`;

function table(t: Table): string {
  return `<table><thead><tr>${t.headers.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${t.rows
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

const pctTick = (v: number) => `${Math.round(v * 1000) / 10}%`;

function lossCurves(records: readonly RunRecord[], task: "classify" | "next-frame"): string {
  const full = records.filter((r) => r.task === task && r.fraction === 1);
  const firstSeed = Math.min(...full.map((r) => r.seed));
  const runs = full.filter((r) => r.seed === firstSeed);
  const smooth = (pts: { step: number; loss: number }[]) => {
    let ema: number | undefined;
    return pts.map((p) => {
      ema = ema === undefined ? p.loss : 0.9 * ema + 0.1 * p.loss;
      return [p.step, ema] as const;
    });
  };
  const series = runs.flatMap((r, i) => [
    { label: `${r.label} train`, points: smooth(r.trainCurve), color: PALETTE[i % PALETTE.length]! },
    {
      label: `${r.label} valid`,
      points: r.validCurve.map((p) => [p.step, p.loss] as const),
      color: PALETTE[i % PALETTE.length]!,
      dashed: true,
      markers: true,
    },
  ]);
  return lineChart({
    name: `loss-${task}`,
    title: `${task === "classify" ? "Cross-entropy" : "MSE"} during training (train: smoothed per step; valid: dashed), seed ${firstSeed}`,
    series,
    xLabel: "optimizer step",
    yLabel: task === "classify" ? "cross-entropy" : "MSE (normalized)",
    width: 900,
    height: Math.max(300, 40 + series.length * 16),
  });
}

function accuracyBars(records: readonly RunRecord[]): string {
  const full = records.filter((r) => r.task === "classify" && r.fraction === 1);
  const models = [...new Set(full.map((r) => r.model))];
  const bars = models.map((m, i) => {
    const mine = full.filter((r) => r.model === m);
    const s = meanStd(mine.map((r) => r.accuracy!));
    return {
      label: `${mine[0]!.label} · ${mine[0]!.params} params`,
      value: s.mean,
      error: s.std,
      color: PALETTE[i % PALETTE.length]!,
      text: `${(100 * s.mean).toFixed(1)}%`,
    };
  });
  const top = Math.min(1, Math.max(...bars.map((b) => b.value + b.error)) + 0.1);
  return barChart({
    name: "accuracy",
    title: "Frame accuracy on held-out utterances, all training data (error bar: ± 1 std over seeds)",
    bars,
    yLabel: "frame accuracy",
    yRange: [0, top],
    yTickLabel: pctTick,
    width: Math.max(480, 60 + 125 * bars.length),
  });
}

function dataCurve(records: readonly RunRecord[]): string {
  const runs = records.filter((r) => r.task === "classify");
  const byModel = new Map<string, RunRecord[]>();
  for (const r of runs) byModel.set(r.model, [...(byModel.get(r.model) ?? []), r]);
  const series = [...byModel.entries()]
    .filter(([, rs]) => new Set(rs.map((r) => r.fraction)).size > 1)
    .map(([, rs], i) => {
      const fractions = [...new Set(rs.map((r) => r.fraction))].sort((a, b) => a - b);
      const stats = fractions.map((f) => meanStd(rs.filter((r) => r.fraction === f).map((r) => r.accuracy!)));
      return {
        label: rs[0]!.label,
        points: fractions.map((f, k) => [f, stats[k]!.mean] as const),
        errors: stats.map((s) => s.std),
        markers: true,
        color: PALETTE[i % PALETTE.length]!,
      };
    });
  const fractions = [...new Set(runs.map((r) => r.fraction))].sort((a, b) => a - b);
  return lineChart({
    name: "data-fraction",
    title: "Frame accuracy vs share of training utterances (same training schedule per run; ± 1 std over seeds)",
    series,
    xLabel: "share of the training utterances (log scale)",
    yLabel: "frame accuracy",
    logX: true,
    xTicks: fractions,
    xTickLabel: pctLabel,
    yTickLabel: pctTick,
    width: 760,
  });
}

function utteranceView(d: NonNullable<ReportData["view"]>, names: readonly string[]): string {
  const T = d.labels.length;
  const cw = Math.max(2, Math.min(5, Math.floor(900 / T)));
  // Rows = coefficients (dims), columns = frames: each dimension standardized over the utterance for display.
  const D = 39;
  const values = new Float32Array(D * T);
  for (let k = 0; k < D; k++) {
    let mean = 0;
    for (let t = 0; t < T; t++) mean += d.frames[t * D + k]!;
    mean /= T;
    let v = 0;
    for (let t = 0; t < T; t++) v += (d.frames[t * D + k]! - mean) ** 2;
    const sd = Math.sqrt(v / T) || 1;
    for (let t = 0; t < T; t++) values[k * T + t] = (d.frames[t * D + k]! - mean) / sd;
  }
  const map = heatmap({
    name: "mfcc",
    title: `MFCC-39 of test utterance "${d.id}" (rows: log E, c1..c12, Δ, ΔΔ; each standardized)`,
    values,
    rows: D,
    cols: T,
    cell: [cw, 4],
    range: [-2.5, 2.5],
    rowLabels: Array.from({ length: D }, (_, k) => (k === 0 ? "logE" : k === 13 ? "Δ" : k === 26 ? "ΔΔ" : "")),
    xLabel: "frame (10 ms)",
  });
  const strips = phoneStrips({
    name: "phones",
    title: "True phones (forced alignment) and each model's per-frame prediction (faded: wrong frames)",
    rows: [
      { label: "true", phones: d.labels },
      ...d.predictions.map((p) => ({ label: p.label, phones: p.phones, truth: d.labels })),
    ],
    names,
    cellWidth: cw,
  });
  return `<p>“${esc(d.text)}”</p><div class="scroll">${map}${strips}</div>`;
}

function confusionView(c: NonNullable<ReportData["confusion"]>, names: readonly string[]): string {
  const K = names.length;
  const rowNorm = new Float32Array(K * K);
  for (let t = 0; t < K; t++) {
    let sum = 0;
    for (let p = 0; p < K; p++) sum += c.matrix[t * K + p]!;
    for (let p = 0; p < K; p++) rowNorm[t * K + p] = sum === 0 ? 0 : c.matrix[t * K + p]! / sum;
  }
  return heatmap({
    name: "confusion",
    title: `Confusion of ${c.label} on the test utterances (row: true phone, normalized; column: predicted)`,
    values: rowNorm,
    rows: K,
    cols: K,
    cell: [12, 12],
    range: [0, 1],
    rowLabels: names,
    colLabels: names,
    topDown: true,
    tip: (r, col, v) => `${names[r]} → ${names[col]}: ${(100 * v).toFixed(1)}% (${c.matrix[r * K + col]} frames)`,
  });
}

function shippedView(rows: NonNullable<ReportData["shipped"]>, names: readonly string[], id: string): string {
  const K = names.length;
  const views = rows.map((r) => {
    const T = r.phones.length;
    const cw = Math.max(2, Math.min(5, Math.floor(900 / T)));
    const name = r.file.replace(/\.safetensors$/, "");
    // Rows = phones (top-down), columns = frames: the posterior of each phone per frame.
    const values = new Float32Array(K * T);
    for (let t = 0; t < T; t++) for (let k = 0; k < K; k++) values[k * T + t] = r.posteriors[t * K + k]!;
    const map = heatmap({
      name: `posteriorgram-${name}`,
      title: `Posteriorgram of "${id}" by ${r.label}: each phone's posterior per frame`,
      values,
      rows: K,
      cols: T,
      cell: [cw, 9], // 9 px rows: the 40 phone labels stay legible
      range: [0, 1],
      rowLabels: names,
      topDown: true,
      xLabel: "frame (10 ms)",
      skipBelow: 0.01,
    });
    const strips = phoneStrips({
      name: `argmax-${name}`,
      title: `True phones and the arg-max of ${r.label} (faded: wrong frames)`,
      rows: [
        { label: "true", phones: r.truth },
        { label: "predicted", phones: r.phones, truth: r.truth },
      ],
      names,
      cellWidth: cw,
    });
    return `<div class="scroll">${map}${strips}</div>`;
  });
  return `${table(shippedRows(rows))}${views.join("")}`;
}

function trajectoryView(d: NonNullable<ReportData["trajectories"]>): string {
  const S = 13;
  const T = d.actual.length / S;
  const k = d.horizon;
  const charts = [0, 1, 2].map((dim) => {
    const actual = Array.from({ length: T }, (_, t) => [t, d.actual[t * S + dim]!] as const);
    const baseline = Array.from({ length: T - k }, (_, t) => [t + k, d.actual[t * S + dim]!] as const);
    const preds = d.predictions.map((p, i) => ({
      label: p.label,
      points: Array.from({ length: T - k }, (_, t) => [t + k, p.values[t * S + dim]!] as const),
      color: PALETTE[(i + 1) % PALETTE.length]!,
    }));
    return lineChart({
      name: `trajectory-${dim}`,
      title: `${dim === 0 ? "log energy" : `c${dim}`} of "${d.id}": actual vs predicted ${k} frame${k > 1 ? "s" : ""} ahead`,
      series: [
        { label: "actual", points: actual, color: "#000" },
        { label: "repeat last", points: baseline, color: "#999", dashed: true },
        ...preds,
      ],
      xLabel: "frame (10 ms)",
      yLabel: "normalized value",
      width: 900,
      height: 240,
    });
  });
  return `<div class="scroll">${charts.join("")}</div>`;
}

/** Renders the report. */
export function renderReport(d: ReportData): string {
  const s = d.streaming;
  const o = d.onnx;
  const hasCurve = new Set(d.records.filter((r) => r.task === "classify").map((r) => r.fraction)).size > 1;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Recurrent speech demo — ${esc(d.mode)} report</title><style>${CSS}</style></head><body>
<h1>What a recurrent network buys over a windowed feed-forward net, on real speech</h1>
<p class="note">${esc(d.mode === "full" ? "Full comparison" : "Compact demo")} · generated ${esc(d.generated)} · ${esc(d.machine)} · this run ${d.seconds.toFixed(0)} s · <code>${esc(d.command)}</code></p>
<p>Embedded corpus of @recurrent/speech: one speaker, 498 phone-aligned utterances, split by utterance (80/10/10, seed 1).
Settings: ${Object.entries(d.settings)
    .map(([k, v]) => `${esc(k)} <b>${esc(v)}</b>`)
    .join(", ")}.</p>
<h2>Findings</h2><ul class="findings">${d.findings.map((f) => `<li>${esc(f)}</li>`).join("")}</ul>
<h2>1. Frame classification (MFCC-39 → 40 phones per frame)</h2>
${table(d.classifyTable)}
${accuracyBars(d.records)}
${hasCurve ? dataCurve(d.records) : ""}
${lossCurves(d.records, "classify")}
${d.view ? `<h3>One test utterance</h3>${utteranceView(d.view, d.phoneNames)}` : ""}
${d.confusion ? `<h3>Per-class confusion</h3><div class="scroll">${confusionView(d.confusion, d.phoneNames)}</div>` : ""}
${
  d.shipped && d.shipped.length > 0
    ? `<h3>What this corpus allows: the shipped full-size models</h3>
<p>The models above are small (about 30 k parameters, a few hundred steps) so that they train live. The two models shipped in
<code>models/</code> have about 250 k parameters and were trained for 15 epochs on whole utterances (<code>train --data corpus</code>;
the commands are in models/README.md); they are scored here on the same test utterances.</p>
${shippedView(d.shipped, d.phoneNames, d.view?.id ?? "")}`
    : ""
}
<h2>2. Next-frame prediction (causal: 13 static coefficients of frames ≤ t → frame t + k)</h2>
<p>Inputs are the static coefficients only: the Δ/ΔΔ of frame t are computed from frames up to t + 4, so feeding them
would hand the model the frame it is asked to predict. Every model is residual (prediction = last frame + learnt change).</p>
${table(d.nextFrameTable)}
${d.records.some((r) => r.task === "next-frame") ? lossCurves(d.records, "next-frame") : ""}
${d.trajectories ? trajectoryView(d.trajectories) : ""}
${
  s
    ? `<h2>3. Streaming</h2><p><code>${esc(s.wav)}</code> through ${esc(s.model)}, fed in 10 ms chunks: ${s.frames} frames;
compute latency per frame mean ${s.mean.toFixed(3)} ms, median ${s.p50.toFixed(3)} ms, p95 ${s.p95.toFixed(3)} ms, max ${s.max.toFixed(3)} ms.
Algorithmic latency: 25 ms window + ${s.lookaheadMs} ms Δ/ΔΔ look-ahead. Streamed logits vs one whole-utterance run: max |difference| ${s.maxDiffToWhole.toExponential(2)}.</p>
${s.refusal ? `<p>A bidirectional model cannot do this: <code>${esc(s.refusal)}</code></p>` : ""}`
    : ""
}
${
  o
    ? `<h2>4. ONNX</h2><p>${esc(o.model)} exported to <code>${esc(o.path)}</code> (${o.bytes} bytes); onnxruntime vs backend-js on ${o.frames} test frames:
max |difference| ${o.maxAbsDiff.toExponential(2)}, arg-max differs on ${o.argmaxMismatches} frames.</p>`
    : ""
}
</body></html>
`;
}
