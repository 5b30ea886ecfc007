/** `dense`: `y = act(x · Wᵀ + b)` on the last axis; one product over all `T·B` frames of a sequence. */

import { Buffers } from "../engine/buffers.js";
import type { BackwardContext, ForwardContext, Kernel } from "../engine/kernel.js";
import { type Value, zeroPadded } from "../engine/value.js";
import { activateBackward, biasActivate } from "../math/activations.js";
import { gemm, gemmPacked, PackScratch, sumRows } from "../math/gemm.js";
import { PackedWeight } from "../math/packed-weight.js";
import { type Arena, wasmArena } from "../math/wasm/arena.js";
import { WindowProducts } from "../math/window-gemm.js";

export const denseKernel: Kernel<"dense"> = (node, env) => {
  const W = env.weight("weight");
  const bias = node.useBias ? env.weight("bias") : undefined;
  const O = node.units;
  const I = W.length / O;
  const forwardW = PackedWeight.transposed(W, 0, O, I, env.frozen);
  const backwardW = PackedWeight.plain(W, 0, O, I, env.frozen);
  const bufs = new Buffers();
  const scratch = new PackScratch();
  const windowed = new WindowProducts();
  let x: Value | undefined;
  let y: Value | undefined;
  /** The arena of the last forward when it ran over a frame stack's window (its weight gradient does too). */
  let windowArena: Arena | undefined;

  return {
    forward([input], _ctx: ForwardContext) {
      x = input!;
      const rows = x.shape.slice(0, -1).reduce((a, d) => a * d, 1);
      const out = bufs.get("y", rows * O);
      const win = x.window;
      windowArena = win !== undefined && x.shape.length === 3 ? wasmArena() : undefined;
      if (win !== undefined && windowArena !== undefined) {
        const [T, B, D] = win.source.shape as [number, number, number];
        const shape = { T, B, D, left: win.left, right: win.right };
        windowed.forward(windowArena, win.source.data, win.source.lengths, shape, forwardW.get(windowArena), out);
      } else gemmPacked(rows, x.data, 0, I, false, forwardW.get(), out, 0, O, false);
      biasActivate(node.activation, out, rows, O, bias);
      const shape = [...x.shape.slice(0, -1), O];
      if (shape.length === 3) zeroPadded(out, shape[0]!, shape[1]!, O, x.lengths);
      y = { shape, data: out, lengths: x.lengths };
      return [y];
    },
    backward([dy], ctx: BackwardContext) {
      if (dy === undefined || x === undefined || y === undefined) return;
      const rows = x.shape.slice(0, -1).reduce((a, d) => a * d, 1);
      const dz = bufs.get("dz", rows * O);
      activateBackward(node.activation, y.data, dy, dz, rows, O);
      if (y.shape.length === 3) zeroPadded(dz, y.shape[0]!, y.shape[1]!, O, y.lengths);
      // The arena check: a kernel switch between forward and backward falls back to the stacked data.
      if (windowArena !== undefined && windowArena === wasmArena()) {
        windowed.weightGrad(windowArena, dz, O, ctx.weightGrad("weight"));
      } else gemm(O, I, rows, dz, 0, O, true, x.data, 0, I, false, ctx.weightGrad("weight"), 0, I, true, scratch);
      if (bias) sumRows(dz, 0, rows, O, O, ctx.weightGrad("bias"));
      const dx = ctx.inputGrad(0);
      if (dx) gemmPacked(rows, dz, 0, O, false, backwardW.get(), dx, 0, I, true);
    },
  };
};
