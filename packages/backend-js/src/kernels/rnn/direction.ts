/**
 * One direction of a recurrent layer over a time-major batch. Shared layout (DESIGN.md §6): the input
 * projection of all steps is one product `[T·B, D] × [D, G·H]` into a gate buffer, each step adds only
 * `[B, H] × [H, G·H]`; backward collects gate gradients of all steps and forms the weight gradients as one
 * product each. Sample b is active at step t iff t < L_b, in both directions: the forward pass walks t up, the
 * reverse pass walks t down (so each sample runs its valid prefix backwards, outputs time-aligned). An inactive
 * sample keeps its state and outputs zero.
 */
import { addRowBias, gemm, gemmPacked, type PackScratch, sumRows } from "../../math/gemm.js";
import type { PackedWeight } from "../../math/packed-weight.js";

/** The batch a direction runs over. */
export interface Sequence {
  readonly x: Float32Array;
  readonly T: number;
  readonly B: number;
  readonly D: number;
  readonly lengths: Int32Array | undefined;
}

/** A state slice: `data[off .. off + B·H]`, or zeros when `data` is undefined. */
export interface StateIn {
  readonly data: Float32Array | undefined;
  readonly off: number;
}

/** A gradient accumulator slice (`data` undefined: not needed). */
export interface GradOut {
  readonly data: Float32Array | undefined;
  readonly off: number;
}

/** Gradient accumulators of one direction's parameters. */
export interface ParamGrads {
  readonly wih: Float32Array;
  readonly whh: Float32Array;
  readonly bih: Float32Array;
  readonly bhh: Float32Array;
}

/** d loss / d output of a direction: `[T, B, H]` rows read at `data[off + row·ld + j]`. */
export interface OutputGrad {
  readonly data: Float32Array;
  readonly off: number;
  readonly ld: number;
}

/** The interface every cell implements. */
export interface Direction {
  /** Outputs `[T, B, H]` after forward (zeros at inactive steps). */
  readonly y: Float32Array;
  /** Final hidden state `[B, H]` after forward. */
  readonly h: Float32Array;
  /** Final cell state `[B, H]` (LSTM only). */
  readonly c: Float32Array | undefined;
  forward(seq: Sequence, reverse: boolean, h0: StateIn, c0: StateIn, record: boolean): void;
  /**
   * Backpropagates through the last recorded forward. `dhN`/`dcN` are `[B, H]` (undefined: zero).
   * Adds into `grads`, `dx` (`[T, B, D]`), `dh0`, `dc0`.
   */
  backward(
    dy: OutputGrad | undefined,
    dhN: Float32Array | undefined,
    dcN: Float32Array | undefined,
    grads: ParamGrads,
    dx: Float32Array | undefined,
    dh0: GradOut,
    dc0: GradOut,
  ): void;
}

/** Valid length of sample b. */
export function lengthOf(seq: Sequence, b: number): number {
  return seq.lengths === undefined ? seq.T : seq.lengths[b]!;
}

/** The longest valid length in the batch. */
export function maxLength(seq: Sequence): number {
  if (seq.lengths === undefined) return seq.T;
  let m = 0;
  for (let b = 0; b < seq.B; b++) m = Math.max(m, seq.lengths[b]!);
  return m;
}

/** Copies an initial state into `dst` (`[B, H]`) or zeros it. */
export function loadState(dst: Float32Array, src: StateIn): void {
  if (src.data === undefined) dst.fill(0);
  else dst.set(src.data.subarray(src.off, src.off + dst.length));
}

/** Zeros the final state of every sample of length 0 (ONNX: Y_h = 0 when L = 0). */
export function zeroEmpty(state: Float32Array, seq: Sequence, H: number): void {
  if (seq.lengths === undefined) return;
  for (let b = 0; b < seq.B; b++) if (seq.lengths[b] === 0) state.fill(0, b * H, (b + 1) * H);
}

/** Adds `src` (`[B, H]`) into a gradient slice. */
export function addInto(dst: GradOut, src: Float32Array): void {
  if (dst.data === undefined) return;
  for (let i = 0; i < src.length; i++) dst.data[dst.off + i] = dst.data[dst.off + i]! + src[i]!;
}

/** Starting d loss / d state `[B, H]` from `dN`, with samples of length 0 cut off (their final state is 0). */
export function startGrad(dst: Float32Array, dN: Float32Array | undefined, seq: Sequence, H: number): void {
  if (dN === undefined) dst.fill(0);
  else dst.set(dN.subarray(0, dst.length));
  zeroEmpty(dst, seq, H);
}

/** The input projection of all steps: `gates[T·B, GH] = x · W_ihᵀ + bias`. */
export function projectInputs(
  seq: Sequence,
  wihT: PackedWeight,
  bias: Float32Array,
  gates: Float32Array,
  GH: number,
): void {
  const rows = seq.T * seq.B;
  gemmPacked(rows, seq.x, 0, seq.D, false, wihT.get(), gates, 0, GH, false);
  addRowBias(gates, 0, rows, GH, GH, bias);
}

/** The input-side gradients from gate gradients `dG [T·B, GH]`: W_ih, b_ih and (when wanted) x. */
export function inputSideGrads(
  seq: Sequence,
  dG: Float32Array,
  GH: number,
  wihPlain: PackedWeight,
  grads: ParamGrads,
  dx: Float32Array | undefined,
  scratch: PackScratch,
): void {
  const rows = seq.T * seq.B;
  gemm(GH, seq.D, rows, dG, 0, GH, true, seq.x, 0, seq.D, false, grads.wih, 0, seq.D, true, scratch);
  sumRows(dG, 0, rows, GH, GH, grads.bih);
  if (dx) gemmPacked(rows, dG, 0, GH, false, wihPlain.get(), dx, 0, seq.D, true);
}
