/**
 * One direction over a long sequence in chunks of steps, for inference (issue #13: a whole-sequence forward held
 * every step's tensors, about 12–25 KB per frame, until the run ended). Each chunk is one `tf.tidy`: its slice of
 * the input, its input projection, its per-step gates, states and masks are released when it ends, and only its
 * outputs `[n, B, H]` and the carried state leave it. Chunks run in time order, or backwards for a reverse
 * direction, so the state entering each chunk is exactly the one a single pass would have there, and the result
 * equals {@link runSpan} over the whole sequence. What stays O(T) is the layer's output itself.
 */
import type { Lengths } from "../../engine/lengths.js";
import type { Tf, TfTensor } from "../../tf.js";
import type { Cell, CellState } from "./cell.js";
import { runSpan } from "./span.js";

/** Steps per chunk of an inference run: large enough that per-chunk overhead is small, small enough to bound. */
export const CHUNK_STEPS = 512;

/**
 * @param x `[T, B, D]`, T > chunk
 * @param initial the state before the first step walked, column layout `[H, B]`
 * @param lengths undefined when every step of every sample is valid
 * @returns outputs `[T, B, H]` (zero at padded steps) and the state after the last step walked
 */
export function runChunked(
  tf: Tf,
  cell: Cell,
  x: TfTensor,
  H: number,
  reverse: boolean,
  initial: CellState,
  lengths: Lengths | undefined,
  chunk: number,
): { y: TfTensor; state: CellState } {
  const [T, B, D] = x.shape as [number, number, number];
  const count = Math.ceil(T / chunk);
  const pieces: TfTensor[] = new Array(count);
  let state = initial;
  for (let s = 0; s < count; s++) {
    const k = reverse ? count - 1 - s : s;
    const t0 = k * chunk;
    const n = Math.min(chunk, T - t0);
    // Every sample has ended before this chunk: no step runs and the state is unchanged (decided on the host).
    if (lengths !== undefined && t0 >= lengths.max) {
      pieces[k] = tf.zeros([n, B, H]);
      continue;
    }
    const before = state;
    const out = tf.tidy(() => {
      const span = runSpan(tf, cell, tf.slice(x, [t0, 0, 0], [n, B, D]), t0, H, reverse, before, lengths, false);
      return span.state.c === undefined ? [span.y, span.state.h] : [span.y, span.state.h, span.state.c];
    });
    pieces[k] = out[0]!;
    state = { h: out[1]!, c: out[2] };
    // The previous carried state is ours (made by the previous chunk, or the caller's transpose of h0/c0).
    if (before.h !== state.h) before.h.dispose();
    if (before.c !== undefined && before.c !== state.c) before.c.dispose();
  }
  const y = tf.concat(pieces, 0);
  for (const p of pieces) p.dispose();
  return { y, state };
}
