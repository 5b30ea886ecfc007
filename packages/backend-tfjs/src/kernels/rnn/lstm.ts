/**
 * LSTM cell, PyTorch gate order i, f, g, o: `i,f,o = σ(·)`, `g = tanh(·)`, `c' = f⊙c + i⊙g`, `h' = o⊙tanh(c')`,
 * pre-activations `x·W_ihᵀ + h·W_hhᵀ + (b_ih + b_hh)`. One product per step over the fused `[H, 4H]` weights.
 */
import type { Tf } from "../../tf.js";
import { matMulBias } from "../affine.js";
import type { Cell, DirectionWeights } from "./cell.js";

export function lstmCell(tf: Tf, w: DirectionWeights, H: number): Cell {
  const wihT = tf.transpose(w.wih);
  const bias = tf.add(w.bih, w.bhh);
  const whhT = tf.transpose(w.whh);
  return {
    project: (x2) => matMulBias(tf, x2, wihT, bias),
    step(gx, { h, c }) {
      const B = gx.shape[0]!;
      const z = tf.add(gx, tf.matMul(h as never, whhT as never));
      const s = tf.sigmoid(z);
      const i = tf.slice(s, [0, 0], [B, H]);
      const f = tf.slice(s, [0, H], [B, H]);
      const o = tf.slice(s, [0, 3 * H], [B, H]);
      const g = tf.tanh(tf.slice(z, [0, 2 * H], [B, H]));
      const cNext = tf.add(tf.mul(f, c!), tf.mul(i, g));
      return { h: tf.mul(o, tf.tanh(cNext)), c: cNext };
    },
  };
}
