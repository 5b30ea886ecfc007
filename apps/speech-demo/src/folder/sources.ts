/**
 * Where `train --data` gets its labelled utterances: a folder of the user's recordings (split into training and
 * validation by a seeded share), or — `--data corpus` — the embedded corpus with the demo's split (train / valid /
 * test), so the same options express the corpus's reference runs.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { type FloatTensor, PHONE_CLASSES, seededRandom, shuffleInPlace } from "@recurrent/speech";
import { CliError } from "../cli/errors.js";
import { loadData } from "../data.js";
import { frameClasses, inferLabels, type Recording, readFolder } from "./folder.js";

/** The value of `--data` that means the embedded corpus (a folder of that name: `./corpus`). */
export const CORPUS_SOURCE = "corpus";

/** One utterance: raw MFCC-39 frames and a class per frame. */
export interface LabelledUtterance {
  readonly id: string;
  /** `[T, 39]`, not normalized. */
  readonly frames: FloatTensor;
  readonly y: Int32Array;
}

/** Utterances for training, validation (early stopping) and a final test (the corpus only). */
export interface TrainingSource {
  readonly description: string;
  readonly labels: readonly string[];
  readonly train: readonly LabelledUtterance[];
  readonly valid: readonly LabelledUtterance[];
  readonly test: readonly LabelledUtterance[];
}

/** Options that pick the utterances. */
export interface SourceOptions {
  readonly data: string;
  readonly labels?: string;
  readonly gapLabel: string;
  readonly tier?: string;
  /** Folder: share held out for validation. */
  readonly valid: number;
  readonly seed: number;
  /** Corpus: only the first n training / test utterances (quick runs, tests). */
  readonly trainUtterances?: number;
  readonly testUtterances?: number;
}

/** Items held out for validation: a seeded share (at least one when there are two or more). */
export function splitRecordings<R>(items: readonly R[], share: number, seed: number): { train: R[]; valid: R[] } {
  const order = shuffleInPlace([...items.keys()], seededRandom(seed * 104729 + 3));
  const n =
    share <= 0 || items.length < 2 ? 0 : Math.min(items.length - 1, Math.max(1, Math.round(items.length * share)));
  const held = new Set(order.slice(0, n));
  return { train: items.filter((_, i) => !held.has(i)), valid: items.filter((_, i) => held.has(i)) };
}

async function resolveLabels(
  spec: string | undefined,
  recordings: readonly Recording[],
  gap: string,
): Promise<string[]> {
  if (spec === undefined) return inferLabels(recordings, gap);
  const file = existsSync(spec);
  const labels = (file ? await readFile(spec, "utf8") : spec)
    .split(file ? /\r?\n/ : ",")
    .map((l) => l.trim())
    .filter(Boolean);
  const dup = labels.find((l, i) => labels.indexOf(l) !== i);
  if (dup !== undefined) throw new CliError("BAD_OPTION", `--labels: "${dup}" is listed twice`);
  if (labels.length < 2)
    throw new CliError("BAD_OPTION", `--labels: at least 2 labels are needed, got ${labels.length}`);
  return labels;
}

/**
 * Loads the utterances `--data` names.
 * @throws CliError `FILE` / `BAD_OPTION` as `readFolder` and `frameClasses`; `BAD_OPTION` for `--labels` with
 *   the corpus (its 40 classes are fixed).
 */
export async function loadSource(o: SourceOptions): Promise<TrainingSource> {
  if (o.data === CORPUS_SOURCE) {
    if (o.labels !== undefined)
      throw new CliError("BAD_OPTION", "--labels does not apply to --data corpus (its 40 phone classes are fixed)");
    const data = await loadData();
    const utt = (id: string): LabelledUtterance => ({
      id,
      frames: data.corpus.features(id),
      y: Int32Array.from(data.corpus.labels(id).data),
    });
    const { train, valid, test } = data.split;
    return {
      description: `the embedded corpus (split seed 1)`,
      labels: PHONE_CLASSES,
      train: train.slice(0, o.trainUtterances ?? train.length).map(utt),
      valid: valid.map(utt),
      test: test.slice(0, o.testUtterances ?? test.length).map(utt),
    };
  }
  const recordings = await readFolder(o.data, o.tier !== undefined ? { tier: o.tier } : {});
  const labels = await resolveLabels(o.labels, recordings, o.gapLabel);
  const all = recordings.map((r) => ({ id: r.id, frames: r.frames, y: frameClasses(r, labels, o.gapLabel) }));
  const { train, valid } = splitRecordings(all, o.valid, o.seed);
  return { description: o.data, labels, train, valid, test: [] };
}
