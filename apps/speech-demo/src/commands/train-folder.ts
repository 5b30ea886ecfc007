/**
 * `train --data DIR`: trains a classifier on the user's own recordings (WAV + `.phn` / `.TextGrid` / `.csv`
 * labels), with the model and training options of a real run — hidden size, layers, direction, whole-utterance
 * (length-bucketed) or chunk batches, learning-rate schedule, clipping, epochs with early stopping on validation
 * frame accuracy (best epoch restored), global or per-utterance CMVN — and Ctrl-C that writes a checkpoint and
 * prints the command that resumes. The model file is written atomically and only at the end.
 */
import { mkdir, rm } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import {
  constant,
  cosineDecay,
  type EpochSchedule,
  type FitEvent,
  fit,
  frameAccuracy,
  initWeights,
  lengthBuckets,
  reduceOnPlateau,
  type SequenceExample,
  sequenceDataset,
  stepDecay,
} from "@recurrent/core";
import { nodeCheckpointIO } from "@recurrent/core/node";
import { Cmvn } from "@recurrent/speech";
import { type BackendName, openBackend } from "../backends.js";
import type { Context } from "../cli/context.js";
import { CliError } from "../cli/errors.js";
import { listenForInterrupt, shellLine, showCursor } from "../cli/interrupt.js";
import { checkOutput } from "../cli/output-file.js";
import { chunk, NUM_FEATURES } from "../data.js";
import { type Architecture, buildArchitecture, describeArchitecture } from "../folder/architecture.js";
import { type LabelledUtterance, loadSource } from "../folder/sources.js";
import { duration, pct } from "../format.js";
import { type CmvnMode, normalizeFrames, saveTrained } from "../model-file.js";
import { INPUT, OUTPUT, paramCount } from "../models.js";
import { scoreUtterances } from "../tasks/evaluate-folder.js";

export const SCHEDULES = ["constant", "cosine", "step", "plateau"] as const;
export type ScheduleName = (typeof SCHEDULES)[number];

/** Options of `train --data`. */
export interface FolderTrainOptions {
  readonly data: string;
  /** Comma-separated labels, or a file with one per line; default: every label found, sorted. */
  readonly labels?: string;
  /** Label of frames no segment covers. */
  readonly gapLabel: string;
  readonly tier?: string;
  readonly model: Architecture;
  readonly hidden: number;
  readonly layers: number;
  readonly direction: "forward" | "bidirectional";
  readonly merge: "sum" | "concat";
  readonly context: number;
  readonly batch: "utterances" | "chunks";
  readonly batchSize: number;
  readonly chunkFrames: number;
  readonly lr: number;
  readonly schedule: ScheduleName;
  readonly clip: number;
  readonly epochs: number;
  readonly patience: number;
  readonly cmvn: CmvnMode;
  readonly seed: number;
  /** Share of the recordings held out for validation (early stopping, best epoch). */
  readonly valid: number;
  readonly out?: string;
  readonly checkpoint?: string;
  readonly resume: boolean;
  readonly backend: BackendName;
  /** `--data corpus`: only the first n training / test utterances. */
  readonly trainUtterances?: number;
  readonly testUtterances?: number;
}

/** What `train --data` did. */
export interface FolderTrainResult {
  readonly path: string;
  readonly params: number;
  readonly labels: readonly string[];
  readonly epochs: number;
  readonly steps: number;
  readonly stopReason: "completed" | "earlyStop";
  /** Frame accuracy on the validation recordings (best epoch), or null without any. */
  readonly validAccuracy: number | null;
  /** Frame accuracy on the test utterances (`--data corpus`), else null. */
  readonly testAccuracy: number | null;
}

/**
 * Runs `train --data`.
 * @throws CliError `FILE` / `BAD_OPTION` for the folder and its labels (see `readFolder`, `frameClasses`),
 *   `BACKEND` when the backend cannot train, `INTERRUPTED` (exit 130) after Ctrl-C with the resume command.
 */
export async function trainFolderCommand(o: FolderTrainOptions, ctx: Context): Promise<FolderTrainResult> {
  const { io } = ctx;
  const arch = {
    kind: o.model,
    hidden: o.hidden,
    layers: o.layers,
    direction: o.direction,
    merge: o.merge,
    context: o.context,
  };
  const name = describeArchitecture(arch);
  if (!(o.valid >= 0 && o.valid < 1)) throw new CliError("BAD_OPTION", `--valid must be in [0, 1), got ${o.valid}`);
  const path = resolve(o.out ?? `out/${name}.safetensors`);
  const ckptPath = resolve(o.checkpoint ?? `${path}.ckpt`);
  await checkOutput(path, { createFolders: true });
  await mkdir(dirname(path), { recursive: true });
  await mkdir(dirname(ckptPath), { recursive: true });
  const backend = await openBackend(o.backend, "train");
  if (backend.trainer === undefined)
    throw new CliError("BACKEND", `backend "${backend.name}" cannot train; use --backend js`);

  const source = await loadSource(o);
  const { labels, train, valid, test } = source;
  if (train.length === 0) throw new CliError("BAD_OPTION", `--data ${o.data}: no utterance left for training`);
  const cmvn =
    o.cmvn === "global"
      ? Cmvn.fit(train.map((u) => u.frames))
      : new Cmvn(new Float32Array(NUM_FEATURES), new Float32Array(NUM_FEATURES).fill(1), 0);
  const parts = { cmvn, cmvnMode: o.cmvn };
  const example = (u: LabelledUtterance): SequenceExample => ({ x: normalizeFrames(parts, u.frames).data, y: u.y });
  const examples = train.map(example);
  const validExamples = valid.map(example);
  const trainExamples = o.batch === "chunks" ? chunk(examples, o.chunkFrames, NUM_FEATURES, 1) : examples;
  const trainSet = sequenceDataset(trainExamples, { input: INPUT, features: NUM_FEATURES });
  const validSet =
    validExamples.length > 0 ? sequenceDataset(validExamples, { input: INPUT, features: NUM_FEATURES }) : undefined;
  const plan =
    o.batch === "utterances"
      ? lengthBuckets(
          trainExamples.map((e) => e.y.length),
          { batchSize: o.batchSize, seed: o.seed },
        )
      : undefined;
  const perEpoch = plan !== undefined ? plan(0).length : Math.ceil(trainExamples.length / o.batchSize);

  const model = buildArchitecture(arch, NUM_FEATURES, labels.length);
  const trainer = await backend.trainer(model, initWeights(model, { seed: o.seed }), {
    loss: "softmaxCrossEntropy",
    optimizer: { kind: "adam", lr: o.lr },
    ...(o.clip > 0 ? { clipNorm: o.clip } : {}),
    output: OUTPUT,
  });
  const monitor = validSet !== undefined ? "accuracy" : "trainLoss";
  const schedules: Record<ScheduleName, () => EpochSchedule> = {
    constant: () => constant(o.lr),
    cosine: () => cosineDecay({ initial: o.lr, final: o.lr / 10, steps: o.epochs * perEpoch }),
    step: () => stepDecay({ initial: o.lr, factor: 0.5, every: Math.max(1, Math.round(o.epochs / 3)) * perEpoch }),
    plateau: () => reduceOnPlateau({ initial: o.lr, factor: 0.5, patience: 1, monitor, min: o.lr / 100 }),
  };

  io.err(
    `${source.description}: ${train.length} training, ${valid.length} validation${test.length > 0 ? `, ${test.length} test` : ""} utterances, ${labels.length} labels; ${name}, ${paramCount(model)} parameters; ${perEpoch} batches per epoch`,
  );
  const total = o.epochs * perEpoch;
  const bar = io.progress(`train ${name}`, total);
  const stop = listenForInterrupt(() => {
    bar.stop();
    showCursor();
    io.err("Ctrl-C: stopping after the current batch and writing a checkpoint (Ctrl-C again to quit at once)…");
  });
  let last: FitEvent | undefined;
  let accuracy = "";
  let history: Awaited<ReturnType<typeof fit>>;
  let weights: ReturnType<typeof trainer.weights>;
  try {
    history = await fit(trainer, trainSet, {
      epochs: o.epochs,
      ...(plan !== undefined ? { batches: plan } : { batchSize: o.batchSize }),
      seed: o.seed,
      learningRate: schedules[o.schedule](),
      ...(validSet !== undefined
        ? {
            validation: validSet,
            metrics: { accuracy: frameAccuracy({ backend, model, data: validSet, output: OUTPUT }) },
          }
        : {}),
      earlyStopping: {
        monitor,
        // 0 turns stopping off; the best epoch is still restored at the end.
        patience: o.patience === 0 ? o.epochs : o.patience,
        restoreBest: true,
      },
      checkpoint: { path: ckptPath, every: "epoch", io: nodeCheckpointIO },
      ...(o.resume ? { resume: ckptPath } : {}),
      fingerprint: JSON.stringify({
        arch,
        labels,
        cmvn: o.cmvn,
        batch: o.batch,
        chunk: o.chunkFrames,
        lr: o.lr,
        schedule: o.schedule,
        clip: o.clip,
        valid: o.valid,
      }),
      signal: stop.signal,
      onEvent: (e) => {
        last = e;
        // After Ctrl-C the bar is stopped (cursor shown); it is not drawn again.
        if (e.type === "batchEnd" && !stop.signal.aborted)
          bar.update(e.step, `epoch ${e.epoch + 1}/${o.epochs} loss ${e.loss.toFixed(3)}${accuracy}`);
        if (e.type === "epochEnd" && e.metrics?.accuracy !== undefined) accuracy = ` valid ${pct(e.metrics.accuracy)}`;
        if (e.type === "resume") io.err(`resuming from ${e.path} at epoch ${e.epoch + 1}, step ${e.step}`);
      },
    });
    weights = trainer.weights(); // the best epoch's (restoreBest)
  } finally {
    stop.dispose();
    bar.stop();
    await trainer.dispose().catch(() => {});
  }
  if (history.stopReason === "interrupted") {
    const at = last?.type === "interrupted" ? last : undefined;
    const again = ctx.argv.includes("--resume") ? ctx.argv : [...ctx.argv, "--resume"];
    throw new CliError(
      "INTERRUPTED",
      `interrupted at epoch ${(at?.epoch ?? 0) + 1}, step ${history.steps}; checkpoint ${ckptPath} (no model file written). Resume with: ${shellLine(["recurrent-speech", ...again])}`,
    );
  }
  const best = history.bestEpoch === null ? undefined : history.epochs.find((r) => r.epoch === history.bestEpoch);
  const validAccuracy = best?.metrics?.accuracy ?? null;
  const seconds = history.epochs.reduce((s, r) => s + r.seconds, 0);
  const scored = { model, weights, ...parts, labels };
  const testEv = test.length > 0 ? await scoreUtterances(backend, scored, test) : undefined;
  const testAccuracy = testEv?.accuracy ?? null;
  await saveTrained(path, model, weights, {
    task: "classify",
    zooId: name,
    cmvn,
    cmvnMode: o.cmvn,
    labels,
    extra: {
      command: shellLine(["recurrent-speech", ...ctx.argv]),
      trainUtterances: String(train.length),
      validUtterances: String(valid.length),
      epochs: String(history.epochs.length),
      bestEpoch: String(history.bestEpoch ?? ""),
      trainSeconds: seconds.toFixed(1),
      ...(validAccuracy !== null ? { validAccuracy: validAccuracy.toFixed(4) } : {}),
      ...(testAccuracy !== null ? { testAccuracy: testAccuracy.toFixed(4) } : {}),
    },
  });
  await rm(ckptPath, { force: true });
  io.out(
    `trained ${name} (${paramCount(model)} parameters) on ${train.length} utterances for ${history.epochs.length} epochs (${history.steps} steps, ${history.stopReason === "earlyStop" ? "stopped early" : "all epochs"}) in ${duration(seconds)}`,
  );
  if (validAccuracy !== null) {
    io.out(
      `frame accuracy on ${valid.length} validation utterances, best epoch ${(history.bestEpoch ?? 0) + 1}: ${pct(validAccuracy)}`,
    );
  }
  if (testEv !== undefined) {
    io.out(`frame accuracy on ${test.length} test utterances (${testEv.frames} frames): ${pct(testEv.accuracy)}`);
  }
  io.out(`labels (${labels.length}): ${labels.join(" ")}`);
  io.out(`wrote ${path}`);
  return {
    path,
    params: paramCount(model),
    labels,
    epochs: history.epochs.length,
    steps: history.steps,
    stopReason: history.stopReason,
    validAccuracy,
    testAccuracy,
  };
}
