/**
 * GRU cell, PyTorch gate order r, z, n; `h' = (1 − z)⊙n + z⊙h`, written `n + z⊙(h − n)`.
 * - reset-after (PyTorch; ONNX `linear_before_reset=1`): `n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn))`, so one
 *   product `h·W_hhᵀ` per step with `b_hn` added to its n block only.
 * - reset-before (Keras `reset_after=False`): `n = tanh(W_in x + b_in + W_hn (r⊙h) + b_hn)`: a product for r, z
 *   and a second one for n after the reset.
 * r and z use `x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh` in both. Gates are cut with `split` (one concat in backward).
 */
import type { Tf, TfTensor } from "../../tf.js";
import { matMulBias } from "../affine.js";
import type { Cell, CellState, Derive, DirectionWeights } from "./cell.js";

export function gruCell(tf: Tf, w: DirectionWeights, H: number, resetAfter: boolean, derive: Derive): Cell {
  const wihT = derive("wihT", () => tf.transpose(w.wih));
  // b_hn stays out of the projection under reset-after: it sits inside r⊙(W_hn h + b_hn).
  const bias = derive("bias", () =>
    resetAfter ? tf.add(w.bih, tf.concat([tf.slice(w.bhh, [0], [2 * H]), tf.zeros([H])])) : tf.add(w.bih, w.bhh),
  );
  const project = (x2: TfTensor) => matMulBias(tf, x2, wihT, bias);
  const halves = (t: TfTensor) => tf.split(t, [2 * H, H], 1) as [TfTensor, TfTensor];
  const finish = (n: TfTensor, z: TfTensor, h: TfTensor): CellState => ({
    h: tf.add(n, tf.mul(z, tf.sub(h, n))),
    c: undefined,
  });

  if (resetAfter) {
    const whhT = derive("whhT", () => tf.transpose(w.whh));
    const hpBias = derive("hpBias", () => tf.concat([tf.zeros([2 * H]), tf.slice(w.bhh, [2 * H], [H])]));
    return {
      project,
      step(gx, { h }) {
        const [gxRz, gxN] = halves(gx);
        const [hpRz, hpN] = halves(matMulBias(tf, h, whhT, hpBias));
        const [r, z] = tf.split(tf.sigmoid(tf.add(gxRz, hpRz)), 2, 1) as [TfTensor, TfTensor];
        return finish(tf.tanh(tf.add(gxN, tf.mul(r, hpN))), z, h);
      },
    };
  }
  const whrzT = derive("whrzT", () => tf.transpose(tf.slice(w.whh, [0, 0], [2 * H, H])));
  const whnT = derive("whnT", () => tf.transpose(tf.slice(w.whh, [2 * H, 0], [H, H])));
  return {
    project,
    step(gx, { h }) {
      const [gxRz, gxN] = halves(gx);
      const rz = tf.sigmoid(tf.add(gxRz, tf.matMul(h as never, whrzT as never)));
      const [r, z] = tf.split(rz, 2, 1) as [TfTensor, TfTensor];
      return finish(tf.tanh(tf.add(gxN, tf.matMul(tf.mul(r, h) as never, whnT as never))), z, h);
    },
  };
}
