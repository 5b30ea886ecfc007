/**
 * Task 1, frame classification (the DNN-HMM framing): normalized MFCC-39 frames → one of 40 phone classes per
 * frame, many-to-many and synchronized. Metric: frame accuracy and the confusion matrix on held-out utterances.
 */
import type { Backend, Executable, TrainBatch, ValidModel } from "@recurrent/core";
import { sequenceDataset } from "@recurrent/core";
import type { Cmvn } from "@recurrent/speech";
import { type CorpusData, chunk, classifyExample, fitCmvn, NUM_CLASSES, NUM_FEATURES, subset } from "../data.js";
import { buildModel, INPUT, type ModelSpec, paramCount } from "../models.js";
import { argmax, runUtterances } from "./infer.js";
import { type RunControl, type TrainResult, trainSteps } from "./train.js";

/** Training frames per chunk. */
export const CHUNK_FRAMES = 100;

/** Options of {@link trainClassifier}. */
export interface ClassifyTrainOptions {
  readonly backend: Backend;
  readonly steps: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly seed: number;
  /** Share of the training utterances used (a seeded subset). */
  readonly fraction: number;
  /** Use at most this many training utterances (before the fraction; tests use a tiny slice). */
  readonly maxTrainUtterances?: number;
  /** Validation utterances for the loss curve. */
  readonly validUtterances?: number;
  readonly onStep?: (step: number, loss: number) => void;
  readonly control?: RunControl;
}

/** A trained classifier. */
export interface TrainedClassifier {
  readonly spec: ModelSpec;
  readonly model: ValidModel;
  readonly cmvn: Cmvn;
  readonly params: number;
  readonly trainUtterances: number;
  readonly trainFrames: number;
  readonly result: TrainResult;
}

/** A padded batch of whole utterances (for validation losses). */
export function utteranceBatch(data: CorpusData, cmvn: Cmvn, ids: readonly string[]): TrainBatch {
  return sequenceDataset(
    ids.map((id) => classifyExample(data, cmvn, id)),
    { input: INPUT, features: NUM_FEATURES },
  ).batch(ids.map((_, i) => i));
}

/** Trains one zoo model on a seeded share of the training utterances (CMVN fitted on exactly those). */
export async function trainClassifier(
  data: CorpusData,
  spec: ModelSpec,
  options: ClassifyTrainOptions,
): Promise<TrainedClassifier> {
  const pool = data.split.train.slice(0, options.maxTrainUtterances ?? data.split.train.length);
  const ids = subset(pool, options.fraction, options.seed);
  const cmvn = fitCmvn(data, ids);
  const examples = ids.map((id) => classifyExample(data, cmvn, id));
  const model = buildModel(spec, NUM_FEATURES, NUM_CLASSES);
  const validIds = data.split.valid.slice(0, options.validUtterances ?? 16);
  const result = await trainSteps(model, chunk(examples, CHUNK_FRAMES, NUM_FEATURES, 1), NUM_FEATURES, {
    backend: options.backend,
    loss: "softmaxCrossEntropy",
    steps: options.steps,
    batchSize: options.batchSize,
    lr: options.lr,
    seed: options.seed,
    ...(validIds.length > 0 ? { validation: utteranceBatch(data, cmvn, validIds) } : {}),
    ...(options.onStep ? { onStep: options.onStep } : {}),
    ...(options.control ? { control: options.control } : {}),
  });
  return {
    spec,
    model,
    cmvn,
    params: paramCount(model),
    trainUtterances: ids.length,
    trainFrames: examples.reduce((n, e) => n + e.y.length, 0),
    result,
  };
}

/** Frame accuracy, confusion and per-utterance predictions on a set of utterances. */
export interface ClassifyEvaluation {
  readonly accuracy: number;
  readonly frames: number;
  /** `[40 · 40]` row-major: confusion[true · 40 + predicted] frame counts. */
  readonly confusion: Int32Array;
  /** Predicted class per frame, per utterance (in `ids` order). */
  readonly predictions: Int32Array[];
  /** Raw outputs (logits) per utterance, `[T_i, 40]` row-major. */
  readonly logits: Float32Array[];
}

/** Evaluates a compiled classifier on whole utterances. */
export async function evaluateClassifier(
  exe: Executable,
  data: CorpusData,
  cmvn: Cmvn,
  ids: readonly string[],
): Promise<ClassifyEvaluation> {
  const logits = await runUtterances(
    exe,
    ids.map((id) => cmvn.apply(data.corpus.features(id)).data),
    NUM_FEATURES,
  );
  const confusion = new Int32Array(NUM_CLASSES * NUM_CLASSES);
  let correct = 0;
  let frames = 0;
  const predictions = logits.map((out, u) => {
    const labels = data.corpus.labels(ids[u]!).data;
    const pred = new Int32Array(labels.length);
    for (let t = 0; t < labels.length; t++) {
      const p = argmax(out, t * NUM_CLASSES, NUM_CLASSES);
      pred[t] = p;
      confusion[labels[t]! * NUM_CLASSES + p]!++;
      if (p === labels[t]) correct++;
      frames++;
    }
    return pred;
  });
  return { accuracy: frames === 0 ? 0 : correct / frames, frames, confusion, predictions, logits };
}
