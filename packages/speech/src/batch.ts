/**
 * Time-major padded batches `[T, B, D]` with lengths, in the plain `{ shape, data }` form that @recurrent/core's
 * `Tensor` / `IntTensor` accept as they are.
 */
import { SpeechError } from "./errors.js";
import type { FloatTensor, IntTensor } from "./tensor.js";

/** One sequence to batch: features `[T, D]` and optional frame labels `[T]`. */
export interface SequenceExample {
  readonly features: FloatTensor;
  readonly labels?: IntTensor;
}

/** A padded, time-major batch. */
export interface SpeechBatch {
  /** `[T, B, D]`, T the longest sequence; zeros past each sample's length. */
  readonly x: FloatTensor;
  /** `[T, B]` class labels, 0 past each sample's length (mask with `lengths`); present when every example has labels. */
  readonly labels?: IntTensor;
  /** `[B]` valid frames per sample. */
  readonly lengths: Int32Array;
}

/**
 * Pads examples into one time-major batch.
 * @throws SpeechError `BATCH_BAD_INPUT` for an empty list, features that are not `[T, D]` with one D for all,
 *   labels whose length differs from their features' T, or labels on some examples only.
 */
export function padBatch(examples: readonly SequenceExample[]): SpeechBatch {
  if (examples.length === 0) throw new SpeechError("BATCH_BAD_INPUT", "padBatch: no examples");
  const withLabels = examples.filter((e) => e.labels !== undefined).length;
  if (withLabels !== 0 && withLabels !== examples.length) {
    throw new SpeechError(
      "BATCH_BAD_INPUT",
      `padBatch: ${withLabels} of ${examples.length} examples have labels; all or none must`,
    );
  }
  const B = examples.length;
  const lengths = new Int32Array(B);
  let D = -1;
  examples.forEach((e, b) => {
    const [T, d] = e.features.shape;
    if (e.features.shape.length !== 2 || T === undefined || d === undefined || e.features.data.length !== T * d) {
      throw new SpeechError(
        "BATCH_BAD_INPUT",
        `padBatch: example ${b} features are [${e.features.shape.join(", ")}], expected [T, D]`,
      );
    }
    if (D === -1) D = d;
    else if (d !== D)
      throw new SpeechError("BATCH_BAD_INPUT", `padBatch: example ${b} has ${d} features, example 0 has ${D}`);
    if (e.labels && (e.labels.shape.length !== 1 || e.labels.shape[0] !== T || e.labels.data.length !== T)) {
      throw new SpeechError(
        "BATCH_BAD_INPUT",
        `padBatch: example ${b} labels are [${e.labels.shape.join(", ")}], expected [${T}]`,
      );
    }
    lengths[b] = T;
  });
  const T = lengths.reduce((m, l) => Math.max(m, l), 0);
  const x = new Float32Array(T * B * D);
  const y = withLabels ? new Int32Array(T * B) : undefined;
  examples.forEach((e, b) => {
    for (let t = 0; t < lengths[b]!; t++) {
      x.set(e.features.data.subarray(t * D, (t + 1) * D), (t * B + b) * D);
      if (y && e.labels) y[t * B + b] = e.labels.data[t]!;
    }
  });
  const batch: SpeechBatch = { x: { shape: [T, B, D], data: x }, lengths };
  return y ? { ...batch, labels: { shape: [T, B], data: y } } : batch;
}
