/**
 * `conv1d`: temporal convolution as one product `cols [T'·B, I·K] × Wᵀ [I·K, F]` over an im2col buffer laid out
 * like PyTorch's weight `[F, I, K]` (column `i·K + k`). Output frame t reads input frames
 * `t·stride − before + k·dilation` (`before` from core's `convPads`: `same` centres the field, `causal` looks only
 * back, `valid` pads nothing); frames outside a sample's valid range read as zeros and output frames `t ≥ L` are
 * zero. A conv that changes the time axis (stride > 1 or `valid`) reads an input without lengths, so every one of
 * its `outputSteps(node, T)` frames is valid.
 */
import { BackendError, changesTime, convPads, minInputSteps, outputSteps, strideOf } from "@recurrent/core";
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
  const dilation = node.dilation;
  const stride = strideOf(node);
  const { before } = convPads(node);
  const resamples = changesTime(node);
  const forwardW = PackedWeight.transposed(W, 0, F, IK, env.frozen);
  const backwardW = PackedWeight.plain(W, 0, F, IK, env.frozen);
  const bufs = new Buffers();
  const scratch = new PackScratch();
  let x: Value | undefined;
  let y: Value | undefined;

  /** Output steps for an input of T steps; a time-changing conv refuses an input shorter than its field. */
  function stepsOut(T: number): number {
    if (!resamples) return T;
    const least = minInputSteps(node);
    if (T < least) {
      const field = dilation * (K - 1) + 1;
      throw new BackendError(
        "FEED_SHAPE",
        `conv1d "${node.id}": its input has ${T} steps, fewer than the ${least} its receptive field of ${field} frames needs (padding "${node.padding}", stride ${stride})`,
        node.id,
      );
    }
    return outputSteps(node, T);
  }

  /** First tap of an output frame whose tap 0 reads input frame `first` (maybe < 0) that reads a frame ≥ 0. */
  const firstTap = (first: number) => (first >= 0 ? 0 : Math.ceil(-first / dilation));
  /** One past the last tap that reads a frame < L. */
  const endTap = (first: number, L: number) =>
    L - 1 < first ? 0 : Math.min(K, Math.floor((L - 1 - first) / dilation) + 1);

  /**
   * The im2col buffer `[Tout·B, I·K]`: row (t, b), column `i·K + k` holds feature i of input frame
   * `t·stride − before + k·dilation` of sample b, or 0 outside its valid frames. The taps that read valid frames
   * are a range computed once per row, and the longer of the two axes (taps, features) is the inner loop:
   * Silero's STFT conv has 256 taps of 1 feature, its encoder convs 3 taps of 64 to 129 features.
   */
  function im2col(xd: Float32Array, T: number, B: number, Tout: number, lengths: Int32Array | undefined) {
    const cols = bufs.zeros("cols", Tout * B * IK);
    const tapStride = dilation * B * I;
    for (let b = 0; b < B; b++) {
      const L = validSteps(lengths, b, T);
      // With lengths the conv keeps T (stride 1, same/causal), so valid output frames are the input's.
      const Lout = lengths === undefined ? Tout : L;
      for (let t = 0; t < Lout; t++) {
        const row = (t * B + b) * IK;
        const first = t * stride - before;
        const k0 = firstTap(first);
        const k1 = endTap(first, L);
        const src0 = ((first + k0 * dilation) * B + b) * I;
        if (I >= K) {
          for (let k = k0, src = src0; k < k1; k++, src += tapStride) {
            for (let i = 0, c = row + k; i < I; i++, c += K) cols[c] = xd[src + i]!;
          }
        } else {
          for (let i = 0; i < I; i++) {
            const c = row + i * K;
            for (let k = k0, src = src0 + i; k < k1; k++, src += tapStride) cols[c + k] = xd[src]!;
          }
        }
      }
    }
    return cols;
  }

  /** The transpose of {@link im2col}: adds each column gradient back into the input frame it was read from. */
  function col2im(dcols: Float32Array, dx: Float32Array, T: number, B: number, Tout: number) {
    const lengths = x!.lengths;
    const tapStride = dilation * B * I;
    for (let b = 0; b < B; b++) {
      const L = validSteps(lengths, b, T);
      const Lout = lengths === undefined ? Tout : L;
      for (let t = 0; t < Lout; t++) {
        const row = (t * B + b) * IK;
        const first = t * stride - before;
        const k0 = firstTap(first);
        const k1 = endTap(first, L);
        for (let k = k0, dst = ((first + k0 * dilation) * B + b) * I; k < k1; k++, dst += tapStride) {
          for (let i = 0, c = row + k; i < I; i++, c += K) dx[dst + i] = dx[dst + i]! + dcols[c]!;
        }
      }
    }
  }

  return {
    forward([input]) {
      x = input!;
      const [T, B] = x.shape as [number, number, number];
      const Tout = stepsOut(T);
      const rows = Tout * B;
      const cols = im2col(x.data, T, B, Tout, x.lengths);
      const out = bufs.get("y", rows * F);
      gemmPacked(rows, cols, 0, IK, false, forwardW.get(), out, 0, F, false);
      if (bias) addRowBias(out, 0, rows, F, F, bias);
      activate(node.activation, out, rows, F);
      zeroPadded(out, Tout, B, F, x.lengths);
      y = { shape: [Tout, B, F], data: out, lengths: x.lengths };
      return [y];
    },
    backward([dy], ctx) {
      if (dy === undefined || x === undefined || y === undefined) return;
      const [T, B] = x.shape as [number, number, number];
      const Tout = y.shape[0]!;
      const rows = Tout * B;
      const dz = bufs.get("dz", rows * F);
      activateBackward(node.activation, y.data, dy, dz, rows, F);
      zeroPadded(dz, Tout, B, F, x.lengths);
      const cols = bufs.get("cols", rows * IK);
      gemm(F, IK, rows, dz, 0, F, true, cols, 0, IK, false, ctx.weightGrad("weight"), 0, IK, true, scratch);
      if (bias) sumRows(dz, 0, rows, F, F, ctx.weightGrad("bias"));
      const dx = ctx.inputGrad(0);
      if (dx === undefined) return;
      const dcols = bufs.get("dcols", rows * IK);
      gemmPacked(rows, dz, 0, F, false, backwardW.get(), dcols, 0, IK, false);
      col2im(dcols, dx, T, B, Tout);
    },
  };
};
