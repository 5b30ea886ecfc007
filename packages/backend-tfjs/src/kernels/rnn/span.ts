/** A span of consecutive steps of one recurrent direction: the whole sequence, or one chunk of it (chunks.ts). */
import type { Lengths } from "../../engine/lengths.js";
import type { Tf, TfTensor } from "../../tf.js";
import type { Cell, CellState } from "./cell.js";
import { joinSteps, splitSteps } from "./steps.js";

/**
 * Steps `t0 .. t0 + n − 1` of one direction, where `xs [n, B, D]` holds those steps' inputs: their projection,
 * the steps (walked down when `reverse`) from `state`, and their outputs `[n, B, H]`, zero at padded steps.
 * @param cacheMasks keep per-step masks for the run (false when this span's scope ends before the run's does)
 */
export function runSpan(
  tf: Tf,
  cell: Cell,
  xs: TfTensor,
  t0: number,
  H: number,
  reverse: boolean,
  initial: CellState,
  lengths: Lengths | undefined,
  cacheMasks: boolean,
): { y: TfTensor; state: CellState } {
  const [n, B, D] = xs.shape as [number, number, number];
  const projected = cell.project(tf.reshape(xs, [n * B, D]));
  const G = projected.shape[1]!;
  const columns = tf.reshape(tf.transpose(tf.reshape(projected, [n, B, G]), [0, 2, 1]), [n * G, B]);
  const gates = splitSteps(tf, columns, n, G);
  const ys: TfTensor[] = new Array(n);
  let zeros: TfTensor | undefined;
  let state = initial;
  for (let s = 0; s < n; s++) {
    const i = reverse ? n - 1 - s : s;
    const t = t0 + i;
    if (lengths !== undefined && t >= lengths.max) {
      zeros ??= tf.zeros([H, B]);
      ys[i] = zeros;
      continue;
    }
    const next = cell.step(gates[i]!, state);
    ys[i] = next.h;
    if (lengths !== undefined && t >= lengths.min) {
      const m = lengths.stepRow(t, cacheMasks);
      const keep = (old: TfTensor, fresh: TfTensor) => tf.add(old, tf.mul(m, tf.sub(fresh, old)));
      state = { h: keep(state.h, next.h), c: next.c && state.c ? keep(state.c, next.c) : undefined };
    } else {
      state = next;
    }
  }
  const y = tf.transpose(tf.reshape(joinSteps(tf, ys), [n, H, B]), [0, 2, 1]);
  if (lengths === undefined) return { y, state };
  return { y: tf.mul(y, cacheMasks && n === lengths.T ? lengths.mask() : lengths.maskRows(t0, n)), state };
}
