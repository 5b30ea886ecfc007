/**
 * GRU cell, PyTorch gate order r, z, n; `h' = (1 − z)⊙n + z⊙h`, written `n + z⊙(h − n)`.
 * - reset-after (PyTorch; ONNX `linear_before_reset=1`): `n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn))`, so one
 *   product `W_hh·h` per step with `b_hn` added to its n block only.
 * - reset-before (Keras `reset_after=False`): `n = tanh(W_in x + b_in + W_hn (r⊙h) + b_hn)`: a product for r, z
 *   and a second one for n after the reset.
 * r and z use `x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh` in both. Gates are cut with `split` along axis 0.
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
  const cut = (t: TfTensor) => tf.split(t, [2 * H, H], 0) as [TfTensor, TfTensor];
  const finish = (n: TfTensor, z: TfTensor, h: TfTensor): CellState => ({
    h: tf.add(n, tf.mul(z, tf.sub(h, n))),
    c: undefined,
  });

  if (resetAfter) {
    const bhn = derive("bhn", () => tf.reshape(tf.slice(w.bhh, [2 * H], [H]), [H, 1]));
    return {
      project,
      step(gx, { h }) {
        const [gxRz, gxN] = cut(gx);
        const [hpRz, hpN] = cut(tf.matMul(w.whh as never, h as never));
        const [r, z] = tf.split(tf.sigmoid(tf.add(gxRz, hpRz)), 2, 0) as [TfTensor, TfTensor];
        return finish(tf.tanh(tf.add(gxN, tf.mul(r, tf.add(hpN, bhn)))), z, h);
      },
    };
  }
  const whrz = derive("whrz", () => tf.slice(w.whh, [0, 0], [2 * H, H]));
  const whn = derive("whn", () => tf.slice(w.whh, [2 * H, 0], [H, H]));
  return {
    project,
    step(gx, { h }) {
      const [gxRz, gxN] = cut(gx);
      const [r, z] = tf.split(tf.sigmoid(tf.add(gxRz, tf.matMul(whrz as never, h as never))), 2, 0) as [
        TfTensor,
        TfTensor,
      ];
      return finish(tf.tanh(tf.add(gxN, tf.matMul(whn as never, tf.mul(r, h) as never))), z, h);
    },
  };
}
