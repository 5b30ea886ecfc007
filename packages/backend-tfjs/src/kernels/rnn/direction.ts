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
import { joinSteps, splitSteps } from "./steps.js";

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
): DirectionResult {
  const [T, B, D] = x.shape as [number, number, number];
  if (T === 0) {
    if (lengths === undefined) return { y: tf.zeros([0, B, H]), h: h0, c: c0 };
    return { y: tf.zeros([0, B, H]), h: tf.zerosLike(h0), c: c0 && tf.zerosLike(c0) };
  }
  const projected = cell.project(tf.reshape(x, [T * B, D]));
  const G = projected.shape[1]!;
  const columns = tf.reshape(tf.transpose(tf.reshape(projected, [T, B, G]), [0, 2, 1]), [T * G, B]);
  const gates = splitSteps(tf, columns, T, G);
  const masked = lengths !== undefined && !lengths.full;
  const ys: TfTensor[] = new Array(T);
  let zeros: TfTensor | undefined;
  let state: CellState = { h: tf.transpose(h0), c: c0 && tf.transpose(c0) };
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    if (masked && t >= lengths.max) {
      zeros ??= tf.zeros([H, B]);
      ys[t] = zeros;
      continue;
    }
    const next = cell.step(gates[t]!, state);
    ys[t] = next.h;
    if (masked && t >= lengths.min) {
      const m = lengths.stepRow(t);
      const keep = (old: TfTensor, fresh: TfTensor) => tf.add(old, tf.mul(m, tf.sub(fresh, old)));
      state = { h: keep(state.h, next.h), c: next.c && state.c ? keep(state.c, next.c) : undefined };
    } else {
      state = next;
    }
  }
  const y = tf.transpose(tf.reshape(joinSteps(tf, ys), [T, H, B]), [0, 2, 1]);
  // A sample of length 0 ran no step, so its state is still the initial one; the rule says zero.
  const final = (s: TfTensor) =>
    masked && lengths.hasEmpty ? tf.mul(tf.transpose(s), lengths.nonEmpty()) : tf.transpose(s);
  return {
    y: masked ? tf.mul(y, lengths.mask()) : y,
    h: final(state.h),
    c: state.c && final(state.c),
  };
}
