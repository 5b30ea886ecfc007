/**
 * Valid steps of a sequence batch and the masks derived from them. Lengths live on the host (they come from an
 * `Int32Array` feed), so every decision about which steps to run is made without reading the device; masks are
 * made on demand inside the caller's `tf.tidy` scope and cached for the run.
 */
import type { Tf, TfTensor } from "../tf.js";

/** Per-sample valid lengths of one lengths feed, for a batch of `T` steps. */
export class Lengths {
  readonly host: Int32Array;
  readonly T: number;
  readonly B: number;
  /** Shortest and longest valid length. */
  readonly min: number;
  readonly max: number;
  readonly #tf: Tf;
  #mask: TfTensor | undefined;
  readonly #steps = new Map<number, TfTensor>();

  constructor(tf: Tf, host: Int32Array, T: number) {
    this.#tf = tf;
    this.host = host;
    this.T = T;
    this.B = host.length;
    let min = T;
    let max = 0;
    for (const L of host) {
      min = Math.min(min, L);
      max = Math.max(max, L);
    }
    this.min = this.B === 0 ? T : min;
    this.max = this.B === 0 ? T : max;
  }

  /** Every step of every sample is valid (no mask needed). */
  get full(): boolean {
    return this.min === this.T;
  }

  /** `[T, B, 1]` float32: 1 at valid steps `t < L_b`, 0 at padded ones. */
  mask(): TfTensor {
    if (this.#mask === undefined) {
      const { T, B } = this;
      const data = new Float32Array(T * B);
      for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) data[t * B + b] = t < this.host[b]! ? 1 : 0;
      this.#mask = this.#tf.tensor(data, [T, B, 1], "float32");
    }
    return this.#mask;
  }

  /**
   * `[1, B]` float32 mask of step `t` (1 where the sample is still running), for column-layout states.
   * @param cache keep it for the rest of the run (false inside a scope that ends before the run does, such as one
   *   chunk of a long sequence: a cached tensor would outlive its scope).
   */
  stepRow(t: number, cache = true): TfTensor {
    let m = this.#steps.get(t);
    if (m === undefined) {
      const data = new Float32Array(this.B);
      for (let b = 0; b < this.B; b++) data[b] = t < this.host[b]! ? 1 : 0;
      m = this.#tf.tensor(data, [1, this.B], "float32");
      if (cache) this.#steps.set(t, m);
    }
    return m;
  }

  /** `[n, B, 1]` float32 mask of steps `t0 .. t0 + n − 1` (the slice of {@link mask}), made afresh each call. */
  maskRows(t0: number, n: number): TfTensor {
    const { B } = this;
    const data = new Float32Array(n * B);
    for (let t = 0; t < n; t++) for (let b = 0; b < B; b++) data[t * B + b] = t0 + t < this.host[b]! ? 1 : 0;
    return this.#tf.tensor(data, [n, B, 1], "float32");
  }

  /** Some sample has length 0. */
  get hasEmpty(): boolean {
    return this.min === 0;
  }

  /** `[B, 1]` float32: 1 where the sample has at least one valid step. */
  nonEmpty(): TfTensor {
    const data = Float32Array.from(this.host, (L) => (L > 0 ? 1 : 0));
    return this.#tf.tensor(data, [this.B, 1], "float32");
  }
}

/** Multiplies a `[T, B, D]` value by its lengths mask so padded steps read as zeros (no-op when all valid). */
export function zeroPadded(tf: Tf, x: TfTensor, lengths: Lengths | undefined): TfTensor {
  return lengths === undefined || lengths.full ? x : tf.mul(x, lengths.mask());
}
