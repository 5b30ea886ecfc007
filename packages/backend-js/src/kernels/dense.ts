/** `dense`: `y = act(x · Wᵀ + b)` on the last axis; one product over all `T·B` frames of a sequence. */

import { Buffers } from "../engine/buffers.js";
import type { BackwardContext, ForwardContext, Kernel } from "../engine/kernel.js";
import { type Value, zeroPadded } from "../engine/value.js";
import { activate, activateBackward } from "../math/activations.js";
import { addRowBias, gemm, gemmPacked, PackScratch, sumRows } from "../math/gemm.js";
import { PackedWeight } from "../math/packed-weight.js";

export const denseKernel: Kernel<"dense"> = (node, env) => {
  const W = env.weight("weight");
  const bias = node.useBias ? env.weight("bias") : undefined;
  const O = node.units;
  const I = W.length / O;
  const forwardW = PackedWeight.transposed(W, 0, O, I, env.frozen);
  const backwardW = PackedWeight.plain(W, 0, O, I, env.frozen);
  const bufs = new Buffers();
  const scratch = new PackScratch();
  let x: Value | undefined;
  let y: Value | undefined;

  return {
    forward([input], _ctx: ForwardContext) {
      x = input!;
      const rows = x.data.length / I;
      const out = bufs.get("y", rows * O);
      gemmPacked(rows, x.data, 0, I, false, forwardW.get(), out, 0, O, false);
      if (bias) addRowBias(out, 0, rows, O, O, bias);
      activate(node.activation, out, rows, O);
      const shape = [...x.shape.slice(0, -1), O];
      if (shape.length === 3) zeroPadded(out, shape[0]!, shape[1]!, O, x.lengths);
      y = { shape, data: out, lengths: x.lengths };
      return [y];
    },
    backward([dy], ctx: BackwardContext) {
      if (dy === undefined || x === undefined || y === undefined) return;
      const rows = x.data.length / I;
      const dz = bufs.get("dz", rows * O);
      activateBackward(node.activation, y.data, dy, dz, rows, O);
      if (y.shape.length === 3) zeroPadded(dz, y.shape[0]!, y.shape[1]!, O, y.lengths);
      gemm(O, I, rows, dz, 0, O, true, x.data, 0, I, false, ctx.weightGrad("weight"), 0, I, true, scratch);
      if (bias) sumRows(dz, 0, rows, O, O, ctx.weightGrad("bias"));
      const dx = ctx.inputGrad(0);
      if (dx) gemmPacked(rows, dz, 0, O, false, backwardW.get(), dx, 0, I, true);
    },
  };
};
