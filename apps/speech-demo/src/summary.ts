/** The comparison's result tables (terminal and Markdown), aggregated over seeds as mean ± spread. */

import { pctLabel, type RunRecord } from "./experiment.js";
import { markdownTable, meanStd, pct, pctSpread, textTable } from "./format.js";
import { findModel } from "./models.js";

/** Table headers and rows (rendered as text or Markdown). */
export interface Table {
  readonly headers: string[];
  readonly rows: string[][];
}

const distinct = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

/** Frame accuracy per classification model and data fraction (mean ± sample std over seeds). */
export function classifyTable(records: readonly RunRecord[]): Table {
  const runs = records.filter((r) => r.task === "classify");
  const fractions = distinct(runs.map((r) => r.fraction)).sort((a, b) => b - a);
  const models = distinct(runs.map((r) => r.model));
  const headers = [
    "model",
    "params",
    "streams",
    ...fractions.map((f) => `accuracy @ ${pctLabel(f)} data`),
    "seeds",
    "train s/run",
  ];
  const rows = models.map((m) => {
    const mine = runs.filter((r) => r.model === m);
    const cells = fractions.map((f) => {
      const acc = mine.filter((r) => r.fraction === f).map((r) => r.accuracy ?? Number.NaN);
      return acc.length === 0 ? "" : pctSpread(acc);
    });
    // A run read back from a model file written before its training time was recorded has none (NaN).
    const seconds = meanStd(mine.map((r) => r.seconds).filter(Number.isFinite)).mean;
    return [
      mine[0]!.label,
      String(mine[0]!.params),
      findModel("classify", m).streamable ? "yes" : "no",
      ...cells,
      String(distinct(mine.map((r) => r.seed)).length),
      seconds.toFixed(0),
    ];
  });
  return { headers, rows };
}

/** Next-frame MSE per model against the repeat-last baseline (mean ± sample std over seeds). */
export function nextFrameTable(records: readonly RunRecord[]): Table {
  const runs = records.filter((r) => r.task === "next-frame" && r.fraction === 1);
  const models = distinct(runs.map((r) => r.model));
  const headers = ["model (causal input)", "params", "test MSE", "repeat-last MSE", "MSE / baseline", "seeds"];
  const spread = (xs: number[], digits: number) => {
    const { mean, std, n } = meanStd(xs);
    return n < 2 ? mean.toFixed(digits) : `${mean.toFixed(digits)} ± ${std.toFixed(digits)}`;
  };
  const rows = models.map((m) => {
    const mine = runs.filter((r) => r.model === m);
    return [
      mine[0]!.label,
      String(mine[0]!.params),
      spread(
        mine.map((r) => r.mse!),
        4,
      ),
      spread(
        mine.map((r) => r.baselineMse!),
        4,
      ),
      spread(
        mine.map((r) => r.mse! / r.baselineMse!),
        3,
      ),
      String(mine.length),
    ];
  });
  return { headers, rows };
}

/** A table as aligned text lines. */
export const asText = (t: Table): string[] => textTable(t.headers, t.rows);
/** A table as Markdown lines. */
export const asMarkdown = (t: Table): string[] => markdownTable(t.headers, t.rows);

/** The best full-data classifier by mean accuracy over seeds. */
export function bestClassifier(records: readonly RunRecord[]): { model: string; accuracy: number } | undefined {
  const full = records.filter((r) => r.task === "classify" && r.fraction === 1);
  let best: { model: string; accuracy: number } | undefined;
  for (const m of distinct(full.map((r) => r.model))) {
    const acc = meanStd(full.filter((r) => r.model === m).map((r) => r.accuracy!)).mean;
    if (best === undefined || acc > best.accuracy) best = { model: m, accuracy: acc };
  }
  return best;
}

export { pct };
