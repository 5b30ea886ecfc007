/**
 * The shipped full-size classifiers (models/, each about 250 k parameters, made by `train --data corpus` as
 * recorded in models/README.md): the best bidirectional one and the best streaming one. The main command
 * evaluates both on the test split next to the small models it trains live, and shows one utterance's
 * posteriorgram for each.
 */
import { fileURLToPath } from "node:url";
import { openBackend } from "./backends.js";
import type { CorpusData } from "./data.js";
import { pct, textTable } from "./format.js";
import { loadTrained } from "./model-file.js";
import { isBidirectional, paramCount } from "./models.js";
import { evaluateClassifier } from "./tasks/classify.js";

/** A shipped model file and how the report names it. */
export interface ShippedModel {
  /** File name under models/. */
  readonly file: string;
  readonly label: string;
}

/** The two shipped full-size models: the best bidirectional classifier and the best streaming one. */
export const SHIPPED_MODELS: readonly ShippedModel[] = [
  { file: "phones-bgru-sum-2x109.safetensors", label: "BiGRU-sum 2×109 (shipped)" },
  { file: "phones-gru-263.safetensors", label: "GRU 263 (shipped)" },
];

/** Absolute path of a shipped model file. */
export const shippedPath = (m: ShippedModel): string => fileURLToPath(new URL(`../models/${m.file}`, import.meta.url));

/** A shipped model scored on the test split. */
export interface ShippedEvaluation {
  readonly file: string;
  readonly label: string;
  readonly params: number;
  readonly streams: boolean;
  /** Frame accuracy on the given test utterances. */
  readonly accuracy: number;
  readonly frames: number;
  /** What the file records (`speech-demo.testAccuracy`, measured on the whole test split when it was trained). */
  readonly recordedAccuracy: number;
  /** The command that made the file. */
  readonly command: string;
  /** The view utterance: per-frame posteriors `[T, 40]` (softmax of the logits) and arg-max phones. */
  readonly posteriors: Float32Array;
  readonly phones: Int32Array;
}

/**
 * Scores each shipped model on `testIds` (the view utterance last) with backend-js.
 * @throws CliError `FILE` / `BAD_MODEL` when a shipped file is missing or unreadable.
 */
export async function evaluateShipped(
  data: CorpusData,
  testIds: readonly string[],
  viewId: string,
): Promise<ShippedEvaluation[]> {
  const backend = await openBackend("js", "infer");
  const ids = [...testIds.filter((id) => id !== viewId), viewId];
  const results: ShippedEvaluation[] = [];
  for (const m of SHIPPED_MODELS) {
    const t = await loadTrained(shippedPath(m));
    const exe = await backend.compile(t.model, t.weights);
    try {
      // Both were trained with global CMVN (`train --data corpus`'s default), the statistics stored in the file.
      const ev = await evaluateClassifier(exe, data, t.cmvn, ids);
      const logits = ev.logits.at(-1)!;
      results.push({
        file: m.file,
        label: m.label,
        params: paramCount(t.model),
        streams: !isBidirectional(t.model),
        accuracy: ev.accuracy,
        frames: ev.frames,
        recordedAccuracy: Number(t.metadata["speech-demo.testAccuracy"]),
        command: t.metadata["speech-demo.command"] ?? "",
        posteriors: softmaxRows(logits, t.labels.length),
        phones: ev.predictions.at(-1)!,
      });
    } finally {
      await exe.dispose();
    }
  }
  return results;
}

/** Row-wise softmax of `[T, K]` logits. */
export function softmaxRows(logits: Float32Array, K: number): Float32Array {
  const out = new Float32Array(logits.length);
  for (let r = 0; r < logits.length / K; r++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < K; k++) max = Math.max(max, logits[r * K + k]!);
    let sum = 0;
    for (let k = 0; k < K; k++) sum += out[r * K + k] = Math.exp(logits[r * K + k]! - max);
    for (let k = 0; k < K; k++) out[r * K + k] = out[r * K + k]! / sum;
  }
  return out;
}

/** The shipped models as a table: file, parameters, streaming, test accuracy measured now and as recorded. */
export function shippedRows(rows: readonly Omit<ShippedEvaluation, "posteriors" | "phones">[]): {
  headers: string[];
  rows: string[][];
} {
  return {
    headers: ["model", "file", "params", "streams", "test accuracy", "frames", "recorded in the file"],
    rows: rows.map((r) => [
      r.label,
      r.file,
      String(r.params),
      r.streams ? "yes" : "no",
      pct(r.accuracy),
      String(r.frames),
      pct(r.recordedAccuracy),
    ]),
  };
}

/** {@link shippedRows} as aligned text lines. */
export const shippedTable = (rows: Parameters<typeof shippedRows>[0]): string[] => {
  const t = shippedRows(rows);
  return textTable(t.headers, t.rows);
};
