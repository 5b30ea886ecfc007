/**
 * `evaluate [model]`: a trained model's held-out metric (frame accuracy and top confusions, or next-frame MSE)
 * on the corpus split, or with `--data DIR` on a folder of the user's labelled recordings.
 */

import { PHONE_CLASSES as PHONES } from "@recurrent/speech";
import { type BackendName, openBackend } from "../backends.js";
import type { Context } from "../cli/context.js";
import { CliError } from "../cli/errors.js";
import { loadData, NUM_CLASSES } from "../data.js";
import { readFolder } from "../folder/folder.js";
import { pct, textTable } from "../format.js";
import { loadTrained, PRETRAINED_MODEL } from "../model-file.js";
import { evaluateClassifier } from "../tasks/classify.js";
import { evaluateRecordings } from "../tasks/evaluate-folder.js";
import { evaluatePredictor } from "../tasks/next-frame.js";
import { openModel } from "./common.js";

/** Options of `evaluate`. */
export interface EvaluateOptions {
  readonly backend: BackendName;
  readonly split: "test" | "valid";
  /** Evaluate on the first n utterances of the split (default all). */
  readonly utterances?: number;
  /** A folder of WAV + label files to evaluate on instead of the corpus. */
  readonly data?: string;
  /** Label of frames no segment covers (with `data`). */
  readonly gapLabel?: string;
  readonly tier?: string;
}

/** What `evaluate` measured. */
export interface EvaluateResult {
  readonly task: "classify" | "next-frame";
  /** Frame accuracy, or next-frame MSE. */
  readonly metric: number;
  readonly baselineMse?: number;
}

/** Runs `evaluate`. @throws CliError for a bad model file or backend. */
export async function evaluateCommand(
  path: string | undefined,
  options: EvaluateOptions,
  { io }: Context,
): Promise<EvaluateResult> {
  if (options.data !== undefined) return evaluateFolder(path ?? PRETRAINED_MODEL, options.data, options, io);
  const m = await openModel(path, options.backend);
  try {
    const data = await loadData();
    const ids = data.split[options.split].slice(0, options.utterances ?? data.split[options.split].length);
    io.out(
      `${m.path}: ${m.task} model "${m.zooId}" on backend ${options.backend}, ${ids.length} ${options.split} utterances`,
    );
    if (m.task === "classify") {
      const ev = await evaluateClassifier(m.exe, data, m.cmvn, ids);
      io.out(`frame accuracy: ${pct(ev.accuracy)} (${ev.frames} frames)`);
      const pairs: [number, number, number][] = [];
      for (let t = 0; t < NUM_CLASSES; t++) {
        for (let p = 0; p < NUM_CLASSES; p++) if (t !== p) pairs.push([t, p, ev.confusion[t * NUM_CLASSES + p]!]);
      }
      pairs.sort((a, b) => b[2] - a[2]);
      io.out("most frequent confusions:");
      for (const line of textTable(
        ["true", "predicted", "frames"],
        pairs.slice(0, 8).map(([t, p, n]) => [PHONES[t]!, PHONES[p]!, String(n)]),
      )) {
        io.out(`  ${line}`);
      }
      return { task: "classify", metric: ev.accuracy };
    }
    const ev = await evaluatePredictor(m.exe, data, m.cmvn, ids, m.horizon);
    io.out(
      `next-frame MSE (horizon ${m.horizon}): ${ev.mse.toFixed(4)}; repeat-last baseline ${ev.baselineMse.toFixed(4)}; ratio ${(ev.mse / ev.baselineMse).toFixed(3)}`,
    );
    return { task: "next-frame", metric: ev.mse, baselineMse: ev.baselineMse };
  } finally {
    await m.exe.dispose();
  }
}

function topConfusions(confusion: Int32Array, labels: readonly string[], n = 8): string[][] {
  const C = labels.length;
  const pairs: [number, number, number][] = [];
  for (let t = 0; t < C; t++)
    for (let p = 0; p < C; p++) if (t !== p && confusion[t * C + p]! > 0) pairs.push([t, p, confusion[t * C + p]!]);
  pairs.sort((a, b) => b[2] - a[2]);
  return pairs.slice(0, n).map(([t, p, k]) => [labels[t]!, labels[p]!, String(k)]);
}

async function evaluateFolder(
  path: string,
  dir: string,
  options: EvaluateOptions,
  io: Context["io"],
): Promise<EvaluateResult> {
  const trained = await loadTrained(path);
  if (trained.task !== "classify")
    throw new CliError("BAD_MODEL", `${path}: --data evaluates classifiers; this is a ${trained.task} model`);
  const recordings = await readFolder(dir, options.tier !== undefined ? { tier: options.tier } : {});
  const backend = await openBackend(options.backend, "infer");
  const ev = await evaluateRecordings(backend, trained, recordings, options.gapLabel ?? "sil");
  io.out(
    `${path}: classifier "${trained.zooId}" on backend ${options.backend}, ${recordings.length} recordings of ${dir}`,
  );
  io.out(`frame accuracy: ${pct(ev.accuracy)} (${ev.frames} frames)`);
  io.out("most frequent confusions:");
  for (const line of textTable(["true", "predicted", "frames"], topConfusions(ev.confusion, trained.labels)))
    io.out(`  ${line}`);
  return { task: "classify", metric: ev.accuracy };
}
