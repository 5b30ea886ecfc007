/**
 * Datasets for `fit`: a size and a way to build a `TrainBatch` from example indices. Sequence data is
 * batched time-major (`[T, B, D]`, padded with zeros) with per-sample lengths.
 */
import type { TrainBatch } from "../backend/backend.js";
import { DEFAULT_LENGTHS } from "../ir/nodes.js";
import { padSequences } from "../tensor/batch.js";
import type { IntTensor, Tensor } from "../tensor/tensor.js";
import { TrainError } from "./errors.js";

/** Anything `fit` can draw batches from. */
export interface Dataset {
  /** Number of examples; indices run 0..size−1. */
  readonly size: number;
  /** The batch of the examples at `indices`, in that order (batch size = `indices.length`). */
  batch(indices: readonly number[]): TrainBatch;
}

/** One variable-length sequence example. */
export interface SequenceExample {
  /** Input frames `[L, D]`, row-major. */
  readonly x: Float32Array;
  /** Float targets `[L, O]` row-major (MSE), or one int label per frame `[L]` (cross-entropy). */
  readonly y: Float32Array | Int32Array;
}

/** Options of {@link sequenceDataset}. */
export interface SequenceDatasetOptions {
  /** Id of the model's sequence input. */
  readonly input: string;
  /**
   * Name of the model's lengths feed; default `"lengths"`. `false` for a model whose input declares none
   * (`input(id, D, { lengths: false })`): batches then feed no lengths, and so every example in a batch must
   * have the same number of frames.
   */
  readonly lengths?: string | false;
  /** Input features D. */
  readonly features: number;
  /** Target features O for float targets; default inferred from the first example with frames. */
  readonly targets?: number;
}

/**
 * A dataset of variable-length sequences. A batch feeds `{ [input]: [T, B, D], [lengths]: Int32Array [B] }`
 * (no lengths with `lengths: false`) with T the longest example in the batch; its target is `[T, B, O]` (float)
 * or `IntTensor [T, B]` (labels), padded with zeros (padded steps are masked by the loss).
 * @throws TrainError `BAD_DATASET` naming the example when an `x` is not a multiple of D, a `y` does not have
 *   L·O values (float) or L labels (int), labels are negative, float and int targets are mixed, or (with
 *   `lengths: false`, where nothing would mask padding) its frame count differs from example 0's;
 *   `BAD_OPTIONS` when D or O is not a positive integer.
 */
export function sequenceDataset(examples: readonly SequenceExample[], options: SequenceDatasetOptions): Dataset {
  const { input, features } = options;
  const lengthsName = options.lengths ?? DEFAULT_LENGTHS;
  positiveInteger("sequenceDataset", "features", features);
  const frames0 = (examples[0]?.x.length ?? 0) / features;
  const labels = examples[0]?.y instanceof Int32Array;
  let targets = options.targets;
  if (targets !== undefined) positiveInteger("sequenceDataset", "targets", targets);
  examples.forEach((ex, i) => {
    if (ex.x.length % features !== 0) {
      bad(i, `x has ${ex.x.length} values, not a multiple of features = ${features}`);
    }
    const L = ex.x.length / features;
    if (lengthsName === false && L !== frames0) {
      bad(
        i,
        `x has ${L} frames but example 0 has ${frames0}; with lengths: false nothing masks padded steps, so every example needs the same number of frames`,
      );
    }
    if (ex.y instanceof Int32Array !== labels) {
      bad(i, `y is ${ex.y.constructor.name} but example 0's is ${labels ? "Int32Array" : "Float32Array"}`);
    }
    if (ex.y instanceof Int32Array) {
      if (ex.y.length !== L) bad(i, `y has ${ex.y.length} labels for ${L} frames`);
      if (ex.y.some((v) => v < 0)) bad(i, "y has a negative label");
      return;
    }
    if (targets === undefined && L > 0) {
      targets = ex.y.length / L;
      if (!Number.isInteger(targets) || targets <= 0) bad(i, `y has ${ex.y.length} values for ${L} frames`);
    }
    if (ex.y.length !== L * (targets ?? 0)) bad(i, `y has ${ex.y.length} values, expected ${L} frames × ${targets}`);
  });
  const O = targets ?? 1;
  return {
    size: examples.length,
    batch(indices) {
      const picked = indices.map((i) => exampleAt(examples, i));
      const { x, lengths } = padSequences(
        picked.map((e) => e.x),
        features,
      );
      const T = x.shape[0]!;
      const B = picked.length;
      let target: Tensor | IntTensor;
      if (labels) {
        const data = new Int32Array(T * B);
        picked.forEach((e, b) => {
          for (let t = 0; t < e.y.length; t++) data[t * B + b] = e.y[t]!;
        });
        target = { shape: [T, B], data };
      } else {
        target = padSequences(
          picked.map((e) => e.y as Float32Array),
          O,
          { maxTime: T },
        ).x;
      }
      return { inputs: lengthsName === false ? { [input]: x } : { [input]: x, [lengthsName]: lengths }, target };
    },
  };
}

/** One non-sequence example. */
export interface VectorExample {
  /** Input features `[D]`. */
  readonly x: Float32Array;
  /** Float target `[O]` (MSE) or a class label (cross-entropy). */
  readonly y: Float32Array | number;
}

/**
 * A dataset of fixed-size vectors: a batch feeds `{ [input]: [B, D] }` with target `[B, O]` or
 * `IntTensor [B]` of labels.
 * @throws TrainError `BAD_DATASET` naming the example when sizes differ, labels are not non-negative
 *   integers, or float and int targets are mixed.
 */
export function vectorDataset(examples: readonly VectorExample[], options: { readonly input: string }): Dataset {
  const first = examples[0];
  const D = first?.x.length ?? 0;
  const labels = typeof first?.y === "number";
  const O = typeof first?.y === "number" ? 1 : (first?.y.length ?? 0);
  examples.forEach((ex, i) => {
    if (ex.x.length !== D) bad(i, `x has ${ex.x.length} values, example 0 has ${D}`);
    if (typeof ex.y === "number") {
      if (!labels) bad(i, "y is a label but example 0's is a Float32Array");
      if (!Number.isInteger(ex.y) || ex.y < 0) bad(i, `label ${ex.y} is not a non-negative integer`);
    } else if (labels || ex.y.length !== O) {
      bad(i, labels ? "y is a Float32Array but example 0's is a label" : `y has ${ex.y.length} values, expected ${O}`);
    }
  });
  return {
    size: examples.length,
    batch(indices) {
      const B = indices.length;
      const x = new Float32Array(B * D);
      indices.forEach((i, b) => {
        x.set(exampleAt(examples, i).x, b * D);
      });
      let target: Tensor | IntTensor;
      if (labels) {
        target = { shape: [B], data: Int32Array.from(indices, (i) => exampleAt(examples, i).y as number) };
      } else {
        const y = new Float32Array(B * O);
        indices.forEach((i, b) => {
          y.set(exampleAt(examples, i).y as Float32Array, b * O);
        });
        target = { shape: [B, O], data: y };
      }
      return { inputs: { [options.input]: { shape: [B, D], data: x } }, target };
    },
  };
}

function exampleAt<E>(examples: readonly E[], i: number): E {
  const e = examples[i];
  if (e === undefined) {
    throw new TrainError("BAD_DATASET", `Dataset: index ${i} is outside 0..${examples.length - 1}`);
  }
  return e;
}

function bad(i: number, what: string): never {
  throw new TrainError("BAD_DATASET", `Dataset example ${i}: ${what}`);
}

function positiveInteger(fn: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new TrainError("BAD_OPTIONS", `${fn}: ${name} must be a positive integer, got ${value}`);
  }
}
