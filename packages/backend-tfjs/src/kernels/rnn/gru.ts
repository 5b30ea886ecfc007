/**
 * GRU cell, PyTorch gate order r, z, n; `h' = (1 − z)⊙n + z⊙h`, written `n + z⊙(h − n)`.
 * - reset-after (PyTorch; ONNX `linear_before_reset=1`): `n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn))`, so one
 *   product `h·W_hhᵀ` per step with `b_hn` added to its n block only.
 * - reset-before (Keras `reset_after=False`): `n = tanh(W_in x + b_in + W_hn (r⊙h) + b_hn)`: a product for r, z
 *   and a second one for n after the reset.
 * r and z use `x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh` in both.
 */
import type { Tf } from "../../tf.js";
import { matMulBias } from "../affine.js";
import type { Cell, DirectionWeights } from "./cell.js";

export function gruCell(tf: Tf, w: DirectionWeights, H: number, resetAfter: boolean): Cell {
  const zerosH = tf.zeros([H]);
  const bhhRz = tf.slice(w.bhh, [0], [2 * H]);
  const bhn = tf.slice(w.bhh, [2 * H], [H]);
  // b_hn stays out of the projection under reset-after: it sits inside r⊙(W_hn h + b_hn).
  const wihT = tf.transpose(w.wih);
  const bias = resetAfter ? tf.add(w.bih, tf.concat([bhhRz, zerosH])) : tf.add(w.bih, w.bhh);
  const project = (x2: Parameters<Cell["project"]>[0]) => matMulBias(tf, x2, wihT, bias);
  const finish = (n: ReturnType<Tf["tanh"]>, z: ReturnType<Tf["slice"]>, h: ReturnType<Tf["slice"]>) =>
    tf.add(n, tf.mul(z, tf.sub(h, n)));

  if (resetAfter) {
    const whhT = tf.transpose(w.whh);
    const hpBias = tf.concat([tf.zeros([2 * H]), bhn]);
    return {
      project,
      step(gx, { h }) {
        const B = gx.shape[0]!;
        const hp = tf.fused.matMul({ a: h as never, b: whhT as never, bias: hpBias });
        const rz = tf.sigmoid(tf.add(tf.slice(gx, [0, 0], [B, 2 * H]), tf.slice(hp, [0, 0], [B, 2 * H])));
        const r = tf.slice(rz, [0, 0], [B, H]);
        const z = tf.slice(rz, [0, H], [B, H]);
        const n = tf.tanh(tf.add(tf.slice(gx, [0, 2 * H], [B, H]), tf.mul(r, tf.slice(hp, [0, 2 * H], [B, H]))));
        return { h: finish(n, z, h), c: undefined };
      },
    };
  }
  const whrzT = tf.transpose(tf.slice(w.whh, [0, 0], [2 * H, H]));
  const whnT = tf.transpose(tf.slice(w.whh, [2 * H, 0], [H, H]));
  return {
    project,
    step(gx, { h }) {
      const B = gx.shape[0]!;
      const rz = tf.sigmoid(tf.add(tf.slice(gx, [0, 0], [B, 2 * H]), tf.matMul(h as never, whrzT as never)));
      const r = tf.slice(rz, [0, 0], [B, H]);
      const z = tf.slice(rz, [0, H], [B, H]);
      const n = tf.tanh(tf.add(tf.slice(gx, [0, 2 * H], [B, H]), tf.matMul(tf.mul(r, h) as never, whnT as never)));
      return { h: finish(n, z, h), c: undefined };
    },
  };
}
