/**
 * `train`: trains one zoo model on the embedded corpus and saves it (with its CMVN statistics and the command
 * line in the file's metadata), then reports its held-out metric. A checkpoint is written every 50 steps and on
 * Ctrl-C, which exits 130 printing the command that resumes.
 */
import { mkdir, rm } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { type BackendName, openBackend } from "../backends.js";
import type { Context } from "../cli/context.js";
import { CliError } from "../cli/errors.js";
import { listenForInterrupt, shellLine, showCursor } from "../cli/interrupt.js";
import { checkOutput } from "../cli/output-file.js";
import { loadData } from "../data.js";
import { duration, pct } from "../format.js";
import { saveTrained } from "../model-file.js";
import { findModel, type TaskName } from "../models.js";
import { evaluateClassifier, trainClassifier } from "../tasks/classify.js";
import { evaluatePredictor, trainPredictor } from "../tasks/next-frame.js";

/** Options of `train`. */
export interface TrainCommandOptions {
  readonly task: TaskName;
  readonly model: string;
  readonly steps: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly seed: number;
  readonly fraction: number;
  readonly horizon: number;
  readonly out?: string;
  readonly backend: BackendName;
  /** Use only the first n training utterances (quick runs, tests). */
  readonly trainUtterances?: number;
  /** Evaluate on the first n test utterances (default all). */
  readonly testUtterances?: number;
  /** Checkpoint file (default `<out>.ckpt`). */
  readonly checkpoint?: string;
  /** Continue from the checkpoint. */
  readonly resume?: boolean;
}

/** Optimizer steps between checkpoints of a corpus run. */
const CHECKPOINT_EVERY = 50;

/** What `train` did (tests read it). */
export interface TrainCommandResult {
  readonly path: string;
  readonly params: number;
  /** Frame accuracy (classify) or MSE (next-frame) on the test utterances. */
  readonly metric: number;
}

/**
 * Runs `train`. The output path is checked before any training.
 * @throws CliError for a bad model id, a backend that cannot train, or an unusable output path.
 */
export async function trainCommand(options: TrainCommandOptions, ctx: Context): Promise<TrainCommandResult> {
  const { io } = ctx;
  const spec = findModel(options.task, options.model);
  const backend = await openBackend(options.backend, "train");
  const path = resolve(options.out ?? `out/${options.task}-${spec.id}.safetensors`);
  // Checked before training: a directory, a read-only folder or an over-long name must not lose the weights.
  await checkOutput(path, { createFolders: true });
  const data = await loadData();
  const testIds = data.split.test.slice(0, options.testUtterances ?? data.split.test.length);
  const ckptPath = resolve(options.checkpoint ?? `${path}.ckpt`);
  const bar = io.progress(`train ${spec.id}`, options.steps);
  const stop = listenForInterrupt(() => {
    bar.stop();
    showCursor();
    io.err("Ctrl-C: stopping after the current step and writing a checkpoint (Ctrl-C again to quit at once)…");
  });
  // What a resume must share with the interrupted run (not where it writes, nor how it is evaluated).
  const { out: _out, checkpoint: _ck, resume: _resume, backend: _b, testUtterances: _t, ...identity } = options;
  const control = {
    checkpoint: ckptPath,
    every: CHECKPOINT_EVERY,
    resume: options.resume === true,
    signal: stop.signal,
    fingerprint: JSON.stringify(identity),
  };
  const common = {
    backend,
    steps: options.steps,
    batchSize: options.batchSize,
    lr: options.lr,
    seed: options.seed,
    fraction: options.fraction,
    ...(options.trainUtterances !== undefined ? { maxTrainUtterances: options.trainUtterances } : {}),
    onStep: (step: number, loss: number) => {
      if (!stop.signal.aborted) bar.update(step, `loss ${loss.toFixed(3)}`);
    },
    control,
  };
  const interrupted = (steps: number): never => {
    const again = ctx.argv.includes("--resume") ? ctx.argv : [...ctx.argv, "--resume"];
    throw new CliError(
      "INTERRUPTED",
      `interrupted at step ${steps} of ${options.steps}; checkpoint ${ckptPath} (no model file written). Resume with: ${shellLine(["recurrent-speech", ...again])}`,
    );
  };
  const command = ["recurrent-speech", ...ctx.argv].join(" ");
  await mkdir(dirname(path), { recursive: true });
  const infer = await openBackend("js", "infer");
  if (options.task === "classify") {
    const trained = await trainClassifier(data, spec, common).finally(() => {
      stop.dispose();
      bar.stop();
    });
    if (trained.result.interrupted) interrupted(trained.result.trainCurve.at(-1)?.step ?? 0);
    const exe = await infer.compile(trained.model, trained.result.weights);
    const ev = await evaluateClassifier(exe, data, trained.cmvn, testIds);
    await exe.dispose();
    await saveTrained(path, trained.model, trained.result.weights, {
      task: "classify",
      zooId: spec.id,
      cmvn: trained.cmvn,
      extra: { command, testAccuracy: ev.accuracy.toFixed(4), trainUtterances: String(trained.trainUtterances) },
    });
    await rm(ckptPath, { force: true });
    io.out(
      `trained ${spec.label} (${trained.params} parameters) for ${options.steps} steps on ${trained.trainUtterances} utterances in ${duration(trained.result.seconds)}`,
    );
    io.out(`frame accuracy on ${testIds.length} test utterances (${ev.frames} frames): ${pct(ev.accuracy)}`);
    io.out(`wrote ${path}`);
    return { path, params: trained.params, metric: ev.accuracy };
  }
  const trained = await trainPredictor(data, spec, { ...common, horizon: options.horizon }).finally(() => {
    stop.dispose();
    bar.stop();
  });
  if (trained.result.interrupted) interrupted(trained.result.trainCurve.at(-1)?.step ?? 0);
  const exe = await infer.compile(trained.model, trained.result.weights);
  const ev = await evaluatePredictor(exe, data, trained.cmvn, testIds, options.horizon);
  await exe.dispose();
  await saveTrained(path, trained.model, trained.result.weights, {
    task: "next-frame",
    zooId: spec.id,
    cmvn: trained.cmvn,
    horizon: options.horizon,
    extra: { command, testMse: ev.mse.toFixed(5), baselineMse: ev.baselineMse.toFixed(5) },
  });
  await rm(ckptPath, { force: true });
  io.out(
    `trained ${spec.label} (${trained.params} parameters) for ${options.steps} steps, horizon ${options.horizon}, in ${duration(trained.result.seconds)}`,
  );
  io.out(
    `next-frame MSE on ${testIds.length} test utterances: ${ev.mse.toFixed(4)} (repeat-last baseline ${ev.baselineMse.toFixed(4)}, ratio ${(ev.mse / ev.baselineMse).toFixed(3)})`,
  );
  io.out(`wrote ${path}`);
  return { path, params: trained.params, metric: ev.mse };
}
