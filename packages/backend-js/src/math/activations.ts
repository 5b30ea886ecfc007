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
      for (let i = 0; i < len; i++) if (!(y[i]! > 0)) y[i] = 0;
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
  const relu = act === "relu";
  for (let r = 0; r < rows; r++) {
    const off = r * n;
    for (let j = 0; j < n; j++) {
      const v = y[off + j]! + bias[j]!;
      // `!(v > 0)` also sends NaN to 0, as activate's relu does.
      y[off + j] = relu && !(v > 0) ? 0 : v;
    }
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
    case "relu":
      for (let i = 0; i < len; i++) dz[i] = y[i]! > 0 ? dy[i]! : 0;
      return;
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
