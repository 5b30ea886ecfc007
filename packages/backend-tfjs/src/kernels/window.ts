/**
 * Temporal windows shared by `frameStack` and `conv1d`: output frame t concatenates input frames t + o for each
 * offset o (in the given order), reading zeros outside a sample's valid range `0..L−1`.
 */
import { type Lengths, zeroPadded } from "../engine/lengths.js";
import type { Tf, TfTensor } from "../tf.js";

/**
 * @param x `[T, B, D]`
 * @param offsets frame offsets relative to t, e.g. `[-2, -1, 0]`
 * @returns `[T, B, offsets.length · D]`, offset-major (frame of offset k at columns `k·D .. k·D + D − 1`)
 */
export function temporalWindow(
  tf: Tf,
  x: TfTensor,
  offsets: readonly number[],
  lengths: Lengths | undefined,
): TfTensor {
  const [T, B, D] = x.shape as [number, number, number];
  // Zeroing frames t ≥ L makes reads past a sample's end see zeros; padding handles reads outside 0..T−1.
  const clean = zeroPadded(tf, x, lengths);
  const before = Math.max(0, -Math.min(...offsets));
  const after = Math.max(0, Math.max(...offsets));
  const padded =
    before + after === 0
      ? clean
      : tf.pad(clean, [
          [before, after],
          [0, 0],
          [0, 0],
        ]);
  const parts = offsets.map((o) => tf.slice(padded, [before + o, 0, 0], [T, B, D]));
  return parts.length === 1 ? parts[0]! : tf.concat(parts, 2);
}
