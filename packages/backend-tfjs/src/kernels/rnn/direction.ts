/**
 * One direction of a recurrent layer over a time-major batch (DESIGN.md §6): the input projection of all steps
 * is one product `[T·B, D] × [D, G·H]`, turned once into per-step column blocks `[G·H, B]` (see cell.ts); each
 * step then adds one `[G·H, H] × [H, B]` product.
 *
 * Sample b is active at step t iff t < L_b, in both directions: the forward pass walks t up, the reverse pass
 * walks t down, so each sample runs its valid prefix backwards with outputs time-aligned. An inactive sample
 * keeps its state (`s + m⊙(s' − s)` with the step's 0/1 mask m); steps where every sample is active need no
 * mask and steps where none is are skipped. Which case applies is decided on the host from the lengths.
 */
import type { Lengths } from "../../engine/lengths.js";
import type { Tf, TfTensor } from "../../tf.js";
import type { Cell, CellState } from "./cell.js";
import { runChunked } from "./chunks.js";
import { runSpan } from "./span.js";

/** What one direction produces. */
export interface DirectionResult {
  /** `[T, B, H]`, zero at padded steps. */
  readonly y: TfTensor;
  /**
   * Final state, each `[B, H]`: after step L−1 (forward) or step 0 (reverse); zero when L = 0, even with a fed
   * initial state (onnxruntime's `sequence_lens` rule, which every backend follows: docs/design.md).
   */
  readonly h: TfTensor;
  readonly c: TfTensor | undefined;
}

/**
 * @param x `[T, B, D]`
 * @param h0 `[B, H]` initial state; `c0` likewise (LSTM)
 * @param chunk when set (inference only: nothing records gradients), the time axis runs in chunks of this many
 *   steps, each in its own `tf.tidy` with the state carried across, so that the per-step tensors and the input
 *   projection are held for one chunk at a time (see chunks.ts); the result is the same as one pass.
 */
export function runDirection(
  tf: Tf,
  cell: Cell,
  x: TfTensor,
  H: number,
  reverse: boolean,
  h0: TfTensor,
  c0: TfTensor | undefined,
  lengths: Lengths | undefined,
  chunk?: number,
): DirectionResult {
  const [T, B] = x.shape as [number, number, number];
  if (T === 0) {
    if (lengths === undefined) return { y: tf.zeros([0, B, H]), h: h0, c: c0 };
    return { y: tf.zeros([0, B, H]), h: tf.zerosLike(h0), c: c0 && tf.zerosLike(c0) };
  }
  const masked = lengths !== undefined && !lengths.full ? lengths : undefined;
  const initial: CellState = { h: tf.transpose(h0), c: c0 && tf.transpose(c0) };
  const { y, state } =
    chunk !== undefined && T > chunk
      ? runChunked(tf, cell, x, H, reverse, initial, masked, chunk)
      : runSpan(tf, cell, x, 0, H, reverse, initial, masked, true);
  // A sample of length 0 ran no step, so its state is still the initial one; the rule says zero.
  const final = (s: TfTensor) => (masked?.hasEmpty ? tf.mul(tf.transpose(s), masked.nonEmpty()) : tf.transpose(s));
  return { y, h: final(state.h), c: state.c && final(state.c) };
}
