/**
 * `demo --full`'s frame classifiers at issue #15's reference setup: about 250 k parameters each, Adam (3e-3, or
 * 1e-3 for the FFN), 16 whole utterances per batch (length-bucketed), gradient clipping at global norm 1, 15
 * epochs, the best validation epoch's weights scored on the test split. Every cell (model × seed × data
 * fraction) is exactly one `train --data corpus` command: the demo runs it in-process and keeps the model file
 * under `<out>/reference/`, and a file already there that a command with the same options made (by the demo
 * or by hand with the printed command) is read instead of trained again, so an interrupted `--full` resumes.
 */
import { basename, join } from "node:path";
import type { Context } from "./cli/context.js";
import { shellLine } from "./cli/interrupt.js";
import { type FolderTrainOptions, trainFolderCommand } from "./commands/train-folder.js";
import type { RunRecord } from "./experiment.js";
import { type ArchitectureOptions, describeArchitecture } from "./folder/architecture.js";
import { loadTrained, type TrainedModel } from "./model-file.js";
import { paramCount } from "./models.js";

/** One reference model: its zoo-like id (what the findings compare) and its `train --data` architecture. */
export interface ReferenceModel {
  /** `ffn`, `rnn`, `lstm`, `gru`, `blstm-sum` or `blstm-concat` (the zoo ids, so findings read them alike). */
  readonly id: string;
  readonly label: string;
  readonly arch: ArchitectureOptions;
  readonly lr: number;
}

const rec = (kind: ArchitectureOptions["kind"], hidden: number, bi?: "sum" | "concat") => ({
  kind,
  hidden,
  layers: 1,
  direction: bi === undefined ? ("forward" as const) : ("bidirectional" as const),
  merge: bi ?? ("sum" as const),
  context: 20,
});

/** The six reference models, sized to about 250 k parameters (closed-form counts in the README). */
export const REFERENCE_MODELS: readonly ReferenceModel[] = [
  {
    id: "ffn",
    label: "windowed FFN 1599→140→140→40",
    arch: { kind: "ffn", hidden: 140, layers: 2, direction: "forward", merge: "sum", context: 20 },
    lr: 0.001,
  },
  { id: "rnn", label: "simple RNN 461", arch: rec("rnn", 461), lr: 0.003 },
  { id: "lstm", label: "LSTM 226", arch: rec("lstm", 226), lr: 0.003 },
  { id: "gru", label: "GRU 263", arch: rec("gru", 263), lr: 0.003 },
  { id: "blstm-sum", label: "BiLSTM-sum 155", arch: rec("lstm", 155, "sum"), lr: 0.003 },
  { id: "blstm-concat", label: "BiLSTM-concat 153", arch: rec("lstm", 153, "concat"), lr: 0.003 },
];

/** Training utterances of the corpus split (what a data fraction is a share of). */
export const CORPUS_TRAIN_UTTERANCES = 398;

/** One run of the reference comparison. */
export interface ReferenceCell {
  readonly model: ReferenceModel;
  readonly seed: number;
  /** Share of the training utterances: the first round(398 · fraction) of the (shuffled) training split. */
  readonly fraction: number;
}

/** `blstm-sum-1x155-s1`, `ffn-41x2x140-s2-n100`: the model file's name without `.safetensors`. */
export function cellName(c: ReferenceCell): string {
  const n = trainUtterances(c);
  return `${describeArchitecture(c.model.arch)}-s${c.seed}${n < CORPUS_TRAIN_UTTERANCES ? `-n${n}` : ""}`;
}

function trainUtterances(c: ReferenceCell): number {
  return Math.max(1, Math.round(CORPUS_TRAIN_UTTERANCES * c.fraction));
}

/** The `train` command line of a cell (what the model file records), writing `file`. */
export function cellArgv(c: ReferenceCell, file: string): string[] {
  const a = c.model.arch;
  const n = trainUtterances(c);
  const model =
    a.kind === "ffn"
      ? ["--model", "ffn", "--context", String(a.context), "--layers", String(a.layers)]
      : [
          "--model",
          a.kind,
          ...(a.direction === "bidirectional" ? ["--direction", "bidirectional", "--merge", a.merge] : []),
        ];
  return [
    "train",
    "--data",
    "corpus",
    ...model,
    "--hidden",
    String(a.hidden),
    "--lr",
    String(c.model.lr),
    "--batch",
    "utterances",
    "--batch-size",
    "16",
    "--clip",
    "1",
    "--epochs",
    "15",
    "--patience",
    "0",
    ...(n < CORPUS_TRAIN_UTTERANCES ? ["--train-utterances", String(n)] : []),
    "--seed",
    String(c.seed),
    "--out",
    file,
  ];
}

/** The options `train --data` parses from {@link cellArgv}. */
function cellOptions(c: ReferenceCell, file: string, backend: FolderTrainOptions["backend"]): FolderTrainOptions {
  const n = trainUtterances(c);
  return {
    data: "corpus",
    gapLabel: "sil",
    model: c.model.arch.kind,
    hidden: c.model.arch.hidden,
    layers: c.model.arch.layers,
    direction: c.model.arch.direction,
    merge: c.model.arch.merge,
    context: c.model.arch.context,
    batch: "utterances",
    batchSize: 16,
    chunkFrames: 100,
    lr: c.model.lr,
    schedule: "constant",
    clip: 1,
    epochs: 15,
    patience: 0,
    cmvn: "global",
    seed: c.seed,
    valid: 0.1,
    out: file,
    resume: false,
    backend,
    ...(n < CORPUS_TRAIN_UTTERANCES ? { trainUtterances: n } : {}),
  };
}

/** The command with its `--out` value dropped: two files with the same one came from the same run. */
const withoutOut = (command: string) => command.replace(/ --out \S+/, "");

/** A cell's model file when it exists and was made by the cell's command (any --out), else undefined. */
async function adopt(c: ReferenceCell, file: string): Promise<TrainedModel | undefined> {
  let t: TrainedModel;
  try {
    t = await loadTrained(file);
  } catch {
    return undefined;
  }
  const made = t.metadata["speech-demo.command"] ?? "";
  const expected = shellLine(["recurrent-speech", ...cellArgv(c, file)]);
  return withoutOut(made) === withoutOut(expected) && t.metadata["speech-demo.testAccuracy"] !== undefined
    ? t
    : undefined;
}

/** A finished cell: the run record the tables read, and the model file. */
export interface ReferenceRun {
  readonly cell: ReferenceCell;
  readonly record: RunRecord;
  readonly file: string;
}

/**
 * Runs (or reads back) every cell, in order, writing `<out>/reference/<cellName>.safetensors`.
 * @throws CliError from `train --data` (e.g. `INTERRUPTED` after Ctrl-C: the finished cells stay on disk).
 */
export async function runReference(
  cells: readonly ReferenceCell[],
  out: string,
  backend: FolderTrainOptions["backend"],
  ctx: Context,
): Promise<ReferenceRun[]> {
  const runs: ReferenceRun[] = [];
  for (const [i, c] of cells.entries()) {
    const file = join(out, "reference", `${cellName(c)}.safetensors`);
    let t = await adopt(c, file);
    const argv = cellArgv(c, file);
    if (t === undefined) {
      ctx.io.err(`[${i + 1}/${cells.length}] ${shellLine(["recurrent-speech", ...argv])}`);
      await trainFolderCommand(cellOptions(c, file, backend), { io: quiet(ctx.io), argv });
      t = await loadTrained(file);
    }
    const m = t.metadata;
    const record: RunRecord = {
      task: "classify",
      model: c.model.id,
      fraction: c.fraction,
      seed: c.seed,
      key: basename(file),
      label: c.model.label,
      params: paramCount(t.model),
      steps: 0,
      trainUtterances: Number(m["speech-demo.trainUtterances"]),
      seconds: Number(m["speech-demo.trainSeconds"] ?? Number.NaN),
      accuracy: Number(m["speech-demo.testAccuracy"]),
      trainCurve: [],
      validCurve: [],
    };
    ctx.io.err(
      `[${i + 1}/${cells.length}] ${c.model.label}, ${Math.round(c.fraction * 100)}% data, seed ${c.seed}: test accuracy ${(100 * record.accuracy!).toFixed(1)} % (best epoch ${Number(m["speech-demo.bestEpoch"]) + 1} of ${m["speech-demo.epochs"]})`,
    );
    runs.push({ cell: c, record, file });
  }
  return runs;
}

/** `train --data`'s own result lines are the demo's noise; its progress bar and errors stay. */
function quiet(io: Context["io"]): Context["io"] {
  return { ...io, out: () => {} };
}

/** The cells of a plan: every model on all data for each seed, the curve models on each smaller fraction. */
export function referenceCells(o: {
  seeds: readonly number[];
  fractions: readonly number[];
  models: readonly string[];
  curveModels: readonly string[];
}): ReferenceCell[] {
  const pick = (id: string) => REFERENCE_MODELS.find((m) => m.id === id);
  const small = [...o.fractions].filter((f) => f !== 1).sort((a, b) => b - a);
  const cells: ReferenceCell[] = [];
  for (const seed of o.seeds) {
    for (const id of o.models) {
      const model = pick(id);
      if (model !== undefined) cells.push({ model, seed, fraction: 1 });
    }
  }
  for (const seed of o.seeds) {
    for (const id of o.curveModels) {
      const model = pick(id);
      if (model !== undefined) for (const f of small) cells.push({ model, seed, fraction: f });
    }
  }
  return cells;
}
