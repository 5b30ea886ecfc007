/**
 * One direction of a recurrent layer over a time-major batch (DESIGN.md §6): the input projection of all steps
 * is one product `[T·B, D] × [D, G·H]`, then each step adds one `[B, H] × [H, G·H]` product.
 *
 * Sample b is active at step t iff t < L_b, in both directions: the forward pass walks t up, the reverse pass
 * walks t down, so each sample runs its valid prefix backwards with outputs time-aligned. An inactive sample
 * keeps its state (`s + m⊙(s' − s)` with the step's 0/1 mask m); steps where every sample is active need no
 * mask and steps where none is are skipped. Which case applies is decided on the host from the lengths.
 */
import type { Lengths } from "../../engine/lengths.js";
import type { Tf, TfTensor } from "../../tf.js";
import type { Cell, CellState } from "./cell.js";
import { timeSteps } from "./steps.js";

/** What one direction produces. */
export interface DirectionResult {
  /** `[T, B, H]`, zero at padded steps. */
  readonly y: TfTensor;
  /** Final state `[B, H]`: after step L−1 (forward) or after step 0 (reverse); the initial state when L = 0. */
  readonly final: CellState;
}

/**
 * @param x `[T, B, D]`
 * @param initial `[B, H]` states
 */
export function runDirection(
  tf: Tf,
  cell: Cell,
  x: TfTensor,
  H: number,
  reverse: boolean,
  initial: CellState,
  lengths: Lengths | undefined,
): DirectionResult {
  const [T, B, D] = x.shape as [number, number, number];
  if (T === 0) return { y: tf.zeros([0, B, H]), final: initial };
  const gates = timeSteps(tf, cell.project(tf.reshape(x, [T * B, D])), T, B);
  const masked = lengths !== undefined && !lengths.full;
  const ys: TfTensor[] = new Array(T);
  let zeros: TfTensor | undefined;
  let state = initial;
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    if (masked && t >= lengths.max) {
      zeros ??= tf.zeros([B, H]);
      ys[t] = zeros;
      continue;
    }
    const next = cell.step(gates[t]!, state);
    ys[t] = next.h;
    if (masked && t >= lengths.min) {
      const m = lengths.stepMask(t);
      const keep = (old: TfTensor, fresh: TfTensor) => tf.add(old, tf.mul(m, tf.sub(fresh, old)));
      state = { h: keep(state.h, next.h), c: next.c && state.c ? keep(state.c, next.c) : undefined };
    } else {
      state = next;
    }
  }
  const y = tf.stack(ys);
  return { y: masked ? tf.mul(y, lengths.mask()) : y, final: state };
}
