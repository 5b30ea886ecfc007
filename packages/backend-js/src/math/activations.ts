/**
 * Elementwise activations in place over rows of a buffer, and their backward from the activated output.
 */
import type { Activation } from "@recurrent/core";
import { fastSigmoid, fastTanh } from "./fast-math.js";

/** Applies `act` in place to `rows` rows of `n` values (softmax normalises each row). */
export function activate(act: Activation, y: Float32Array, rows: number, n: number): void {
  const len = rows * n;
  switch (act) {
    case "linear":
      return;
    case "tanh":
      for (let i = 0; i < len; i++) y[i] = fastTanh(y[i]!);
      return;
    case "sigmoid":
      for (let i = 0; i < len; i++) y[i] = fastSigmoid(y[i]!);
      return;
    case "relu":
      reluBits(y, len);
      return;
    case "softmax":
      for (let r = 0; r < rows; r++) softmaxRow(y, r * n, n);
      return;
    default:
      act satisfies never;
  }
}

/**
 * `y = act(y + bias)` in place over `rows` rows of `n` values (`bias` of length n, or none): one pass over `y`
 * for relu and linear instead of a bias pass and an activation pass; the other activations take both.
 */
export function biasActivate(
  act: Activation,
  y: Float32Array,
  rows: number,
  n: number,
  bias: Float32Array | undefined,
): void {
  if (bias === undefined || (act !== "relu" && act !== "linear")) {
    if (bias !== undefined) {
      for (let r = 0; r < rows; r++) {
        const off = r * n;
        for (let j = 0; j < n; j++) y[off + j] = y[off + j]! + bias[j]!;
      }
    }
    activate(act, y, rows, n);
    return;
  }
  for (let r = 0; r < rows; r++) {
    const off = r * n;
    for (let j = 0; j < n; j++) y[off + j] = y[off + j]! + bias[j]!;
  }
  if (act === "relu") reluBits(y, rows * n);
}

/**
 * All ones where the float with these bits is > 0 (+0 < v ≤ +∞: the int in 1..0x7f800000), else 0: NaN, ±0 and
 * negatives. Integer arithmetic without branches: a relu over random signs mispredicts half of its branches,
 * which made the branchy loops 5 to 15 times slower than this (a [3200, 140] block, measured side by side).
 */
function positiveMask(bits: number): number {
  return ~(((bits - 1) | 0) >> 31) & (((bits - 0x7f800001) | 0) >> 31);
}

/** `y = y > 0 ? y : 0` over the first `len` floats (NaN → 0, −0 → +0), on their bits. */
function reluBits(y: Float32Array, len: number): void {
  const bits = new Int32Array(y.buffer, y.byteOffset, len);
  for (let i = 0; i < len; i++) {
    const v = bits[i]!;
    bits[i] = v & positiveMask(v);
  }
}

function softmaxRow(y: Float32Array, off: number, n: number): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < n; j++) max = Math.max(max, y[off + j]!);
  let sum = 0;
  for (let j = 0; j < n; j++) sum += Math.exp(y[off + j]! - max);
  for (let j = 0; j < n; j++) y[off + j] = Math.exp(y[off + j]! - max) / sum;
}

/**
 * `dz = f'(·) ⊙ dy` written into `dz`, from the activated output `y` (rows × n). `dz` may alias `dy`.
 */
export function activateBackward(
  act: Activation,
  y: Float32Array,
  dy: Float32Array,
  dz: Float32Array,
  rows: number,
  n: number,
): void {
  const len = rows * n;
  switch (act) {
    case "linear":
      if (dz !== dy) dz.set(dy.subarray(0, len));
      return;
    case "tanh":
      for (let i = 0; i < len; i++) dz[i] = dy[i]! * (1 - y[i]! * y[i]!);
      return;
    case "sigmoid":
      for (let i = 0; i < len; i++) dz[i] = dy[i]! * y[i]! * (1 - y[i]!);
      return;
    case "relu": {
      // dz = y > 0 ? dy : 0, on the bits (see positiveMask).
      const yBits = new Int32Array(y.buffer, y.byteOffset, len);
      const dyBits = new Int32Array(dy.buffer, dy.byteOffset, len);
      const dzBits = new Int32Array(dz.buffer, dz.byteOffset, len);
      for (let i = 0; i < len; i++) dzBits[i] = dyBits[i]! & positiveMask(yBits[i]!);
      return;
    }
    case "softmax":
      for (let r = 0; r < rows; r++) {
        const off = r * n;
        let dot = 0;
        for (let j = 0; j < n; j++) dot += dy[off + j]! * y[off + j]!;
        for (let j = 0; j < n; j++) dz[off + j] = y[off + j]! * (dy[off + j]! - dot);
      }
      return;
    default:
      act satisfies never;
  }
}
