/** Simple (Elman) RNN cell: `h' = act(x·W_ihᵀ + h·W_hhᵀ + (b_ih + b_hh))`, act tanh or relu. */
import type { Tf } from "../../tf.js";
import { matMulBias } from "../affine.js";
import type { Cell, Derive, DirectionWeights } from "./cell.js";

export function simpleCell(tf: Tf, w: DirectionWeights, activation: "tanh" | "relu", derive: Derive): Cell {
  const wihT = derive("wihT", () => tf.transpose(w.wih));
  const bias = derive("bias", () => tf.add(w.bih, w.bhh));
  return {
    project: (x2) => matMulBias(tf, x2, wihT, bias),
    step(gx, { h }) {
      const pre = tf.add(gx, tf.matMul(w.whh as never, h as never));
      return { h: activation === "tanh" ? tf.tanh(pre) : tf.relu(pre), c: undefined };
    },
  };
}
