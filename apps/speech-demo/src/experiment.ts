/**
 * The comparison: which runs make up a demo (compact or full), running each one, and caching finished runs
 * (`runs.jsonl`) so that an interrupted `--full` run resumes where it stopped.
 */
import { appendFile, mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Backend, ValidModel, Weights } from "@recurrent/core";
import type { Cmvn } from "@recurrent/speech";
import type { Io } from "./cli/io.js";
import type { CorpusData } from "./data.js";
import { findModel, type TaskName } from "./models.js";
import { evaluateClassifier, trainClassifier } from "./tasks/classify.js";
import { evaluatePredictor, trainPredictor } from "./tasks/next-frame.js";
import type { CurvePoint } from "./tasks/train.js";

/** One training run of the comparison. */
export interface RunPlan {
  readonly task: TaskName;
  readonly model: string;
  readonly fraction: number;
  readonly seed: number;
}

/** Settings shared by every run. */
export interface RunSettings {
  readonly steps: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly horizon: number;
  readonly trainUtterances?: number;
  readonly testIds: readonly string[];
  /** The utterance whose per-frame predictions are kept for the report. */
  readonly viewId: string;
}

/** A finished run (what `runs.jsonl` stores, one per line). */
export interface RunRecord extends RunPlan {
  readonly key: string;
  readonly label: string;
  readonly params: number;
  readonly steps: number;
  readonly trainUtterances: number;
  readonly seconds: number;
  /** Classification: frame accuracy on the test utterances. */
  readonly accuracy?: number;
  /** Next-frame: MSE and the repeat-last baseline on the test utterances (normalized units). */
  readonly mse?: number;
  readonly baselineMse?: number;
  readonly trainCurve: CurvePoint[];
  readonly validCurve: CurvePoint[];
  /** Full-data runs of the first seed: 40×40 confusion (classify) and the view utterance's predictions. */
  readonly confusion?: number[];
  readonly viewPrediction?: number[];
}

/** A run's trained model, kept in memory for streaming and export. */
export interface Trained {
  readonly model: ValidModel;
  readonly weights: Weights;
  readonly cmvn: Cmvn;
}

/** The cache key of a run: everything that changes its result. */
export function runKey(plan: RunPlan, s: RunSettings): string {
  return [
    plan.task,
    plan.model,
    plan.fraction,
    plan.seed,
    s.steps,
    s.batchSize,
    s.lr,
    plan.task === "next-frame" ? s.horizon : 0,
    s.trainUtterances ?? "all",
    s.testIds.length,
  ].join("/");
}

const down = (curve: CurvePoint[], max = 200): CurvePoint[] => {
  if (curve.length <= max) return curve;
  const every = Math.ceil(curve.length / max);
  return curve.filter((_, i) => i % every === 0 || i === curve.length - 1);
};

/** Trains and evaluates one run. `keep` asks for the confusion matrix and the view utterance's predictions. */
export async function executeRun(
  data: CorpusData,
  plan: RunPlan,
  s: RunSettings,
  backend: Backend,
  evalBackend: Backend,
  io: Io,
  keep: boolean,
): Promise<{ record: RunRecord; trained: Trained }> {
  const spec = findModel(plan.task, plan.model);
  const bar = io.progress(
    `${plan.task === "classify" ? "" : "next-frame "}${spec.id} ${pctLabel(plan.fraction)} s${plan.seed}`,
    s.steps,
  );
  const common = {
    backend,
    steps: s.steps,
    batchSize: s.batchSize,
    lr: s.lr,
    seed: plan.seed,
    fraction: plan.fraction,
    ...(s.trainUtterances !== undefined ? { maxTrainUtterances: s.trainUtterances } : {}),
    onStep: (step: number, loss: number) => bar.update(step, `loss ${loss.toFixed(3)}`),
  };
  const base = { ...plan, key: runKey(plan, s), label: spec.label, steps: s.steps };
  try {
    if (plan.task === "classify") {
      const t = await trainClassifier(data, spec, common);
      bar.update(s.steps, "evaluating");
      const exe = await evalBackend.compile(t.model, t.result.weights);
      const ids = keep ? [...s.testIds.filter((id) => id !== s.viewId), s.viewId] : s.testIds;
      const ev = await evaluateClassifier(exe, data, t.cmvn, ids);
      await exe.dispose();
      const record: RunRecord = {
        ...base,
        params: t.params,
        trainUtterances: t.trainUtterances,
        seconds: t.result.seconds,
        accuracy: ev.accuracy,
        trainCurve: down(t.result.trainCurve),
        validCurve: t.result.validCurve,
        ...(keep ? { confusion: [...ev.confusion], viewPrediction: [...ev.predictions.at(-1)!] } : {}),
      };
      return { record, trained: { model: t.model, weights: t.result.weights, cmvn: t.cmvn } };
    }
    const t = await trainPredictor(data, spec, { ...common, horizon: s.horizon });
    bar.update(s.steps, "evaluating");
    const exe = await evalBackend.compile(t.model, t.result.weights);
    const ids = keep ? [...s.testIds.filter((id) => id !== s.viewId), s.viewId] : s.testIds;
    const ev = await evaluatePredictor(exe, data, t.cmvn, ids, s.horizon);
    await exe.dispose();
    const record: RunRecord = {
      ...base,
      params: t.params,
      trainUtterances: Math.max(1, Math.round((s.trainUtterances ?? data.split.train.length) * plan.fraction)),
      seconds: t.result.seconds,
      mse: ev.mse,
      baselineMse: ev.baselineMse,
      trainCurve: down(t.result.trainCurve),
      validCurve: t.result.validCurve,
      ...(keep ? { viewPrediction: [...ev.predictions.at(-1)!] } : {}),
    };
    return { record, trained: { model: t.model, weights: t.result.weights, cmvn: t.cmvn } };
  } finally {
    bar.stop();
  }
}

/** `0.25` → `25%`. */
export function pctLabel(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10}%`;
}

/** Finished runs in `dir/runs.jsonl`, by key (none when the file does not exist). */
export async function readCache(dir: string): Promise<Map<string, RunRecord>> {
  const map = new Map<string, RunRecord>();
  let text: string;
  try {
    text = await readFile(join(dir, "runs.jsonl"), "utf8");
  } catch {
    return map;
  }
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const r = JSON.parse(line) as RunRecord;
      map.set(r.key, r);
    } catch {
      // A line cut short by a killed run is simply run again.
    }
  }
  return map;
}

/** Appends a finished run to `dir/runs.jsonl`. */
export async function appendCache(dir: string, record: RunRecord): Promise<void> {
  await mkdir(dir, { recursive: true });
  await appendFile(join(dir, "runs.jsonl"), `${JSON.stringify(record)}\n`);
}
