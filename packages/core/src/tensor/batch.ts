/**
 * Time-major batching: pad a list of variable-length sequences into `[T, B, D]` plus lengths, and back.
 */
import type { Tensor } from "./tensor.js";

/** A padded time-major batch and the valid length of each sample. */
export interface SequenceBatch {
  /** `[T, B, D]`, zeros past each sample's length. */
  readonly x: Tensor;
  /** `[B]` valid steps per sample, each in 0..T. */
  readonly lengths: Int32Array;
}

/**
 * Pads sequences (each `[T_b, D]` row-major, given as `Float32Array` of length `T_b·D`) into a `[T, B, D]` batch.
 * `T` is the longest length unless `maxTime` is given (longer sequences are then truncated).
 * @throws RangeError when a sequence's length is not a multiple of `features`, or inputs are empty/invalid.
 */
export function padSequences(
  sequences: readonly Float32Array[],
  features: number,
  options: { readonly maxTime?: number } = {},
): SequenceBatch {
  if (!Number.isInteger(features) || features <= 0) {
    throw new RangeError(`padSequences: features must be a positive integer, got ${features}`);
  }
  const lengths = new Int32Array(sequences.length);
  sequences.forEach((seq, b) => {
    if (seq.length % features !== 0) {
      throw new RangeError(
        `padSequences: sequence ${b} has ${seq.length} values, not a multiple of ${features} features`,
      );
    }
    lengths[b] = seq.length / features;
  });
  const longest = lengths.reduce((m, l) => Math.max(m, l), 0);
  const T = options.maxTime ?? longest;
  if (!Number.isInteger(T) || T < 0) throw new RangeError(`padSequences: maxTime must be >= 0, got ${T}`);
  const B = sequences.length;
  const data = new Float32Array(T * B * features);
  sequences.forEach((seq, b) => {
    const steps = Math.min(lengths[b]!, T);
    lengths[b] = steps;
    for (let t = 0; t < steps; t++) {
      data.set(seq.subarray(t * features, (t + 1) * features), (t * B + b) * features);
    }
  });
  return { x: { shape: [T, B, features], data }, lengths };
}

/**
 * The lengths feed of a batch whose samples all use every step: T for each of the B samples of `x [T, B, D]`.
 * A model that declares lengths needs them on every run; this is the value for an unpadded batch.
 * @example exe.run({ mfcc: x, lengths: fullLengths(x) })
 * @throws RangeError when `x` is not rank 3 (`[T, B, D]`).
 */
export function fullLengths(x: Tensor): Int32Array {
  if (x.shape.length !== 3) throw new RangeError(`fullLengths: expected [T, B, D], got [${x.shape.join(", ")}]`);
  return new Int32Array(x.shape[1]!).fill(x.shape[0]!);
}

/**
 * The inverse of {@link padSequences}: splits a `[T, B, D]` batch into per-sample `[L_b, D]` arrays.
 * @throws RangeError when `x` is not rank 3 or `lengths` does not match its batch or exceeds T.
 */
export function unpadSequences(x: Tensor, lengths?: Int32Array): Float32Array[] {
  if (x.shape.length !== 3) throw new RangeError(`unpadSequences: expected [T, B, D], got [${x.shape.join(", ")}]`);
  const [T, B, D] = x.shape as [number, number, number];
  if (lengths && lengths.length !== B) {
    throw new RangeError(`unpadSequences: lengths has ${lengths.length} entries for a batch of ${B}`);
  }
  const out: Float32Array[] = [];
  for (let b = 0; b < B; b++) {
    const L = lengths ? lengths[b]! : T;
    if (L < 0 || L > T) throw new RangeError(`unpadSequences: length ${L} of sample ${b} is outside 0..${T}`);
    const seq = new Float32Array(L * D);
    for (let t = 0; t < L; t++) seq.set(x.data.subarray((t * B + b) * D, (t * B + b + 1) * D), t * D);
    out.push(seq);
  }
  return out;
}

/**
 * The batch-major adapter: `[B, T, D]` → `[T, B, D]` (the library is time-major everywhere else).
 * @throws RangeError when `x` is not rank 3.
 */
export function batchMajorToTimeMajor(x: Tensor): Tensor {
  return swapLeadingAxes(x, "batchMajorToTimeMajor", "[B, T, D]");
}

/**
 * The reverse adapter: `[T, B, D]` → `[B, T, D]`.
 * @throws RangeError when `x` is not rank 3.
 */
export function timeMajorToBatchMajor(x: Tensor): Tensor {
  return swapLeadingAxes(x, "timeMajorToBatchMajor", "[T, B, D]");
}

function swapLeadingAxes(x: Tensor, caller: string, expected: string): Tensor {
  if (x.shape.length !== 3) throw new RangeError(`${caller}: expected ${expected}, got [${x.shape.join(", ")}]`);
  const [P, Q, D] = x.shape as [number, number, number];
  const data = new Float32Array(x.data.length);
  for (let p = 0; p < P; p++) {
    for (let q = 0; q < Q; q++) data.set(x.data.subarray((p * Q + q) * D, (p * Q + q + 1) * D), (q * P + p) * D);
  }
  return { shape: [Q, P, D], data };
}
