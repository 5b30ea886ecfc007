/**
 * The im2col of a conv1d that changes the time axis (stride > 1, or `valid`): output frame t gathers the K input
 * frames `t·stride − before + k·dilation`, zeros outside `0..T−1`. Built from a few slices and reshapes, whatever
 * K is: the padded input is cut into blocks of `stride` frames, output frame t starts block t, and its field spans
 * blocks t .. t + Q − 1 (Q = ⌈field / stride⌉). So Silero's STFT (K 256, stride 128) takes two slices, not 256.
 * Every op used has a gradient on every tfjs backend (tfjs's own conv1d has none for dilation, nor for stride
 * with dilation).
 */
import type { Tf, TfTensor } from "../tf.js";

/** The frame arithmetic of one strided window (see core's `convPads`, `outputSteps`). */
export interface StridedWindow {
  readonly kernelSize: number;
  readonly dilation: number;
  readonly stride: number;
  /** Zero frames read before frame 0. */
  readonly before: number;
  /** Output frames T' (≥ 1; the caller has checked the input is long enough). */
  readonly steps: number;
}

/**
 * @param x `[T, B, D]`, every frame valid (a time-changing conv reads an input without lengths)
 * @returns `[T'·B, K·D]`, rows `t·B + b`, tap-major columns (tap k at `k·D .. k·D + D − 1`)
 */
export function stridedWindow(tf: Tf, x: TfTensor, w: StridedWindow): TfTensor {
  const [T, B, D] = x.shape as [number, number, number];
  const { kernelSize: K, dilation, stride: s, before, steps } = w;
  const field = dilation * (K - 1) + 1;
  const Q = Math.ceil(field / s);
  const blocks = steps - 1 + Q;
  // Input frames 0..end−1 fill the blocks after `before` zeros; past T they are zeros, and frames from `end` on
  // are read by no output frame.
  const end = blocks * s - before;
  const used = end < T ? tf.slice(x, [0, 0, 0], [end, B, D]) : x;
  const padded =
    before === 0 && end <= T
      ? used
      : tf.pad(used, [
          [before, Math.max(0, end - T)],
          [0, 0],
          [0, 0],
        ]);
  const grid = tf.reshape(padded, [blocks, s, B, D]);
  const spans = Array.from({ length: Q }, (_, q) => (Q === 1 ? grid : tf.slice(grid, [q, 0, 0, 0], [steps, s, B, D])));
  // [T', Q·s, B, D]: frame t's Q·s consecutive input frames, of which the field is the first `field`.
  const span = spans.length === 1 ? spans[0]! : tf.concat(spans, 1);
  const taps = dilated(tf, span, K, dilation, steps, B, D);
  // [T', K, B, D] → [T', B, K, D]; with one sample (a streamed chunk) the order is already right.
  return tf.reshape(B === 1 ? taps : tf.transpose(taps, [0, 2, 1, 3]), [steps * B, K * D]);
}

/** The K taps `k·dilation` out of `[T', n, B, D]` consecutive frames (n ≥ field) → `[T', K, B, D]`. */
function dilated(tf: Tf, span: TfTensor, K: number, dilation: number, steps: number, B: number, D: number): TfTensor {
  const n = span.shape[1]!;
  if (dilation === 1) return n === K ? span : tf.slice(span, [0, 0, 0, 0], [steps, K, B, D]);
  // Every dilation-th frame: a [K·dilation] run reshaped to [K, dilation], keeping column 0.
  const run = K * dilation;
  const fitted =
    n >= run
      ? tf.slice(span, [0, 0, 0, 0], [steps, run, B, D])
      : tf.pad(span, [
          [0, 0],
          [0, run - n],
          [0, 0],
          [0, 0],
        ]);
  const grid = tf.reshape(fitted, [steps, K, dilation, B, D]);
  return tf.reshape(tf.slice(grid, [0, 0, 0, 0, 0], [steps, K, 1, B, D]), [steps, K, B, D]);
}
