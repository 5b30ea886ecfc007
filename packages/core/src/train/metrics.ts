/**
 * Metrics that `fit` evaluates after every epoch (recorded in the history, and monitored by early stopping with
 * `earlyStopping.monitor: "<name>"`), and the built-in one: frame accuracy of a classifier.
 */
import type { Backend, Executable, Trainer } from "../backend/backend.js";
import { DEFAULT_LENGTHS } from "../ir/nodes.js";
import type { ValidModel } from "../ir/valid-model.js";
import type { IntTensor, Tensor } from "../tensor/tensor.js";
import type { Dataset } from "./dataset.js";
import { TrainError } from "./errors.js";

/** What a metric sees: the trainer after the epoch (read its weights; do not step it) and the 0-based epoch. */
export interface MetricContext {
  readonly trainer: Trainer;
  readonly epoch: number;
}

/** A number computed after every epoch, e.g. accuracy on a validation set. Must be finite. */
export type Metric = (context: MetricContext) => number | Promise<number>;

/** Correct and counted frames of one batch. */
export interface FrameCount {
  readonly correct: number;
  readonly frames: number;
}

/**
 * Counts the frames whose arg-max class equals the label. Sequences: `logits` `[T, B, C]`, `labels` `[T, B]` and
 * `lengths` `[B]` (steps at t ≥ lengths[b] are padding and not counted; no lengths: all T). Vectors: `logits`
 * `[B, C]`, `labels` `[B]`. Ties go to the lowest class.
 * @throws TrainError `BAD_DATASET` when the shapes do not line up (naming both).
 */
export function countCorrect(logits: Tensor, labels: IntTensor, lengths?: Int32Array): FrameCount {
  const C = logits.shape.at(-1)!;
  const lead = logits.shape.slice(0, -1);
  if (lead.length !== labels.shape.length || lead.some((d, i) => d !== labels.shape[i])) {
    throw new TrainError(
      "BAD_DATASET",
      `frameAccuracy: logits [${logits.shape}] do not match labels [${labels.shape}] (expected labels [${lead}])`,
    );
  }
  const T = lead.length === 2 ? lead[0]! : 1;
  const B = lead.at(-1)!;
  if (lengths !== undefined && lengths.length !== B) {
    throw new TrainError("BAD_DATASET", `frameAccuracy: ${lengths.length} lengths for a batch of ${B}`);
  }
  let correct = 0;
  let frames = 0;
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      if (lengths !== undefined && lead.length === 2 && t >= lengths[b]!) continue;
      const row = (t * B + b) * C;
      let best = 0;
      for (let c = 1; c < C; c++) if (logits.data[row + c]! > logits.data[row + best]!) best = c;
      if (best === labels.data[t * B + b]) correct++;
      frames++;
    }
  }
  return { correct, frames };
}

/** Options of {@link frameAccuracy}. */
export interface FrameAccuracyOptions {
  /** Compiles the trainer's current weights for inference (e.g. the training backend itself). */
  readonly backend: Pick<Backend, "compile">;
  readonly model: ValidModel;
  /** Labelled examples (int targets), e.g. the validation set; whole sequences. */
  readonly data: Dataset;
  /** The model output holding the logits. */
  readonly output: string;
  /** Name of the lengths feed (padding is not counted); default `"lengths"`; `false` counts every step. */
  readonly lengths?: string | false;
  /** Examples per inference batch; default 16. */
  readonly batchSize?: number;
}

/**
 * The built-in classifier metric: the share of frames (or vectors) of `data` whose arg-max output equals the
 * label, with the trainer's weights after each epoch. Use it as `metrics: { accuracy: frameAccuracy(…) }` and
 * stop on it with `earlyStopping: { monitor: "accuracy", mode: "max" }`.
 * @throws TrainError `BAD_DATASET` (when called) if `data` has float targets or shapes do not match; whatever
 *   the backend throws.
 */
export function frameAccuracy(options: FrameAccuracyOptions): Metric {
  const lengthsName = options.lengths ?? DEFAULT_LENGTHS;
  const batchSize = options.batchSize ?? 16;
  return async ({ trainer }) => {
    const exe: Executable = await options.backend.compile(options.model, trainer.weights());
    try {
      let correct = 0;
      let frames = 0;
      for (let start = 0; start < options.data.size; start += batchSize) {
        const n = Math.min(batchSize, options.data.size - start);
        const batch = options.data.batch(Array.from({ length: n }, (_, i) => start + i));
        if (!(batch.target.data instanceof Int32Array)) {
          throw new TrainError("BAD_DATASET", "frameAccuracy: the data's targets are floats; it needs int labels");
        }
        const logits = (await exe.run(batch.inputs, { fetch: [options.output] }))[options.output]!;
        const lengths = lengthsName === false ? undefined : batch.inputs[lengthsName];
        const c = countCorrect(logits, batch.target as IntTensor, lengths instanceof Int32Array ? lengths : undefined);
        correct += c.correct;
        frames += c.frames;
      }
      return frames === 0 ? 0 : correct / frames;
    } finally {
      await exe.dispose();
    }
  };
}
