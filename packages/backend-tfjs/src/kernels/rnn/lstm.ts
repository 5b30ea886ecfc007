/**
 * LSTM cell, PyTorch gate order i, f, g, o: `i,f,o = σ(·)`, `g = tanh(·)`, `c' = f⊙c + i⊙g`, `h' = o⊙tanh(c')`,
 * pre-activations `x·W_ihᵀ + h·W_hhᵀ + (b_ih + b_hh)`. One product per step over the fused `[4H, H]` weights,
 * whose gate blocks are reordered once to i, f, o, g so that one sigmoid and one tanh cover all gates; gates are
 * cut with `split` (whose gradient is one concat; a slice's is a padded copy per gate).
 */
import type { Tf, TfTensor } from "../../tf.js";
import { matMulBias } from "../affine.js";
import type { Cell, Derive, DirectionWeights } from "./cell.js";

/** Gate blocks (rows of a `[4H, ...]` parameter) reordered from i, f, g, o to i, f, o, g. */
function ifog(tf: Tf, t: TfTensor): TfTensor {
  const [i, f, g, o] = tf.split(t, 4, 0) as [TfTensor, TfTensor, TfTensor, TfTensor];
  return tf.concat([i, f, o, g], 0);
}

export function lstmCell(tf: Tf, w: DirectionWeights, H: number, derive: Derive): Cell {
  const wihT = derive("wihT", () => tf.transpose(ifog(tf, w.wih)));
  const whh = derive("whh", () => ifog(tf, w.whh));
  const bias = derive("bias", () => ifog(tf, tf.add(w.bih, w.bhh)));
  return {
    project: (x2) => matMulBias(tf, x2, wihT, bias),
    step(gx, { h, c }) {
      const z = tf.add(gx, tf.matMul(whh as never, h as never));
      const [ifoPre, gPre] = tf.split(z, [3 * H, H], 0) as [TfTensor, TfTensor];
      const [i, f, o] = tf.split(tf.sigmoid(ifoPre), 3, 0) as [TfTensor, TfTensor, TfTensor];
      const cNext = tf.add(tf.mul(f, c!), tf.mul(i, tf.tanh(gPre)));
      return { h: tf.mul(o, tf.tanh(cNext)), c: cNext };
    },
  };
}
