/**
 * Task 2, next-frame prediction (streamable): the 13 static coefficients of frames ≤ t → the statics of frame
 * t + k. Inputs are strictly causal (no Δ/ΔΔ: those reach 4 frames ahead and would hand the model the frame it
 * must predict). Metric: MSE in CMVN-normalized units against the "repeat the last frame" baseline.
 */
import { type Backend, type Executable, sequenceDataset, type ValidModel } from "@recurrent/core";
import type { Cmvn } from "@recurrent/speech";
import { type CorpusData, chunk, fitCmvn, NUM_STATIC, nextFrameExample, staticCmvn, subset } from "../data.js";
import { buildModel, INPUT, type ModelSpec, paramCount } from "../models.js";
import { CHUNK_FRAMES } from "./classify.js";
import { runUtterances } from "./infer.js";
import { type RunControl, type TrainResult, trainSteps } from "./train.js";

/** Options of {@link trainPredictor}. */
export interface NextFrameTrainOptions {
  readonly backend: Backend;
  readonly steps: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly seed: number;
  /** Frames ahead (k ≥ 1). */
  readonly horizon: number;
  readonly fraction: number;
  readonly maxTrainUtterances?: number;
  readonly validUtterances?: number;
  readonly onStep?: (step: number, loss: number) => void;
  readonly control?: RunControl;
}

/** A trained next-frame predictor. */
export interface TrainedPredictor {
  readonly spec: ModelSpec;
  readonly model: ValidModel;
  /** CMVN of the 13 statics. */
  readonly cmvn: Cmvn;
  readonly params: number;
  readonly horizon: number;
  readonly result: TrainResult;
}

function examples(data: CorpusData, cmvn: Cmvn, ids: readonly string[], horizon: number) {
  return ids.flatMap((id) => {
    const e = nextFrameExample(data, cmvn, id, horizon);
    return e === undefined ? [] : [e];
  });
}

/** Trains one next-frame model (MSE on normalized statics). */
export async function trainPredictor(
  data: CorpusData,
  spec: ModelSpec,
  options: NextFrameTrainOptions,
): Promise<TrainedPredictor> {
  const pool = data.split.train.slice(0, options.maxTrainUtterances ?? data.split.train.length);
  const ids = subset(pool, options.fraction, options.seed);
  const cmvn = staticCmvn(fitCmvn(data, ids));
  const model = buildModel(spec, NUM_STATIC, NUM_STATIC);
  const train = examples(data, cmvn, ids, options.horizon);
  const valid = examples(data, cmvn, data.split.valid.slice(0, options.validUtterances ?? 16), options.horizon);
  const result = await trainSteps(model, chunk(train, CHUNK_FRAMES, NUM_STATIC, NUM_STATIC), NUM_STATIC, {
    backend: options.backend,
    loss: "mse",
    steps: options.steps,
    batchSize: options.batchSize,
    lr: options.lr,
    seed: options.seed,
    zeroInit: ["change"],
    ...(valid.length > 0
      ? {
          validation: sequenceDataset(valid, { input: INPUT, features: NUM_STATIC }).batch(valid.map((_, i) => i)),
        }
      : {}),
    ...(options.onStep ? { onStep: options.onStep } : {}),
    ...(options.control ? { control: options.control } : {}),
  });
  return {
    spec,
    model,
    cmvn,
    params: paramCount(model),
    horizon: options.horizon,
    result,
  };
}

/** Next-frame MSE of a model and of the "repeat the last frame" baseline on the same frames. */
export interface NextFrameEvaluation {
  readonly mse: number;
  readonly baselineMse: number;
  /** Predicted frames `[T_i − k, 13]` per utterance (normalized), for the trajectory chart. */
  readonly predictions: Float32Array[];
  /** The normalized input statics `[T_i, 13]` per utterance. */
  readonly actual: Float32Array[];
  readonly frames: number;
}

/**
 * Evaluates a compiled predictor on whole utterances.
 * @param cmvn the 13-dim statistics of the statics the model was trained with.
 */
export async function evaluatePredictor(
  exe: Executable,
  data: CorpusData,
  cmvn: Cmvn,
  ids: readonly string[],
  horizon: number,
): Promise<NextFrameEvaluation> {
  const ex = examples(data, cmvn, ids, horizon);
  const predictions = await runUtterances(
    exe,
    ex.map((e) => e.x),
    NUM_STATIC,
  );
  let se = 0;
  let seBase = 0;
  let n = 0;
  ex.forEach((e, u) => {
    const p = predictions[u]!;
    for (let i = 0; i < e.y.length; i++) {
      se += (p[i]! - e.y[i]!) ** 2;
      seBase += (e.x[i]! - e.y[i]!) ** 2;
    }
    n += e.y.length;
  });
  const actual = ex.map((e) => {
    const all = new Float32Array(e.x.length + horizon * NUM_STATIC);
    all.set(e.x);
    all.set(e.y.subarray(e.y.length - horizon * NUM_STATIC), e.x.length);
    return all;
  });
  return {
    mse: n === 0 ? Number.NaN : se / n,
    baselineMse: n === 0 ? Number.NaN : seBase / n,
    predictions,
    actual,
    frames: n / NUM_STATIC,
  };
}
