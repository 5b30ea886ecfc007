/**
 * `conv1d`: stride-1 temporal convolution, output length T, as one product `cols [T·B, I·K] × Wᵀ [I·K, F]`
 * over an im2col buffer laid out like PyTorch's weight `[F, I, K]` (column `i·K + k`). `same` padding puts
 * ⌊span/2⌋ frames of context before t (PyTorch `padding="same"`), `causal` puts all of it before. Frames
 * outside a sample's valid range read as zeros; output frames `t ≥ L` are zero.
 */
import { Buffers } from "../engine/buffers.js";
import type { Kernel } from "../engine/kernel.js";
import { type Value, validSteps, zeroPadded } from "../engine/value.js";
import { activate, activateBackward } from "../math/activations.js";
import { addRowBias, gemm, gemmPacked, PackScratch, sumRows } from "../math/gemm.js";
import { PackedWeight } from "../math/packed-weight.js";

export const conv1dKernel: Kernel<"conv1d"> = (node, env) => {
  const W = env.weight("weight");
  const bias = node.useBias ? env.weight("bias") : undefined;
  const F = node.filters;
  const K = node.kernelSize;
  const IK = W.length / F;
  const I = IK / K;
  const span = (K - 1) * node.dilation;
  const padLeft = node.padding === "causal" ? span : Math.floor(span / 2);
  const forwardW = PackedWeight.transposed(W, 0, F, IK, env.frozen);
  const backwardW = PackedWeight.plain(W, 0, F, IK, env.frozen);
  const bufs = new Buffers();
  const scratch = new PackScratch();
  let x: Value | undefined;
  let y: Value | undefined;

  /** Visits every (output row, column offset, input offset) pair that reads a valid frame. */
  function eachTap(fn: (colRow: number, k: number, src: number) => void): void {
    const [T, B] = x!.shape as [number, number, number];
    for (let b = 0; b < B; b++) {
      const L = validSteps(x!.lengths, b, T);
      for (let t = 0; t < L; t++) {
        for (let k = 0; k < K; k++) {
          const s = t - padLeft + k * node.dilation;
          if (s >= 0 && s < L) fn((t * B + b) * IK, k, (s * B + b) * I);
        }
      }
    }
  }

  return {
    forward([input]) {
      x = input!;
      const [T, B] = x.shape as [number, number, number];
      const rows = T * B;
      const cols = bufs.zeros("cols", rows * IK);
      const xd = x.data;
      eachTap((colRow, k, src) => {
        for (let i = 0; i < I; i++) cols[colRow + i * K + k] = xd[src + i]!;
      });
      const out = bufs.get("y", rows * F);
      gemmPacked(rows, cols, 0, IK, false, forwardW.get(), out, 0, F, false);
      if (bias) addRowBias(out, 0, rows, F, F, bias);
      activate(node.activation, out, rows, F);
      zeroPadded(out, T, B, F, x.lengths);
      y = { shape: [T, B, F], data: out, lengths: x.lengths };
      return [y];
    },
    backward([dy], ctx) {
      if (dy === undefined || x === undefined || y === undefined) return;
      const [T, B] = x.shape as [number, number, number];
      const rows = T * B;
      const dz = bufs.get("dz", rows * F);
      activateBackward(node.activation, y.data, dy, dz, rows, F);
      zeroPadded(dz, T, B, F, x.lengths);
      const cols = bufs.get("cols", rows * IK);
      gemm(F, IK, rows, dz, 0, F, true, cols, 0, IK, false, ctx.weightGrad("weight"), 0, IK, true, scratch);
      if (bias) sumRows(dz, 0, rows, F, F, ctx.weightGrad("bias"));
      const dx = ctx.inputGrad(0);
      if (dx === undefined) return;
      const dcols = bufs.get("dcols", rows * IK);
      gemmPacked(rows, dz, 0, F, false, backwardW.get(), dcols, 0, IK, false);
      eachTap((colRow, k, src) => {
        for (let i = 0; i < I; i++) dx[src + i] = dx[src + i]! + dcols[colRow + i * K + k]!;
      });
    },
  };
};
