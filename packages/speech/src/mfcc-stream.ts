/**
 * Streaming MFCC: the same frames as the batch `mfcc` / `staticMfcc`, produced incrementally from audio
 * chunks of any size (real-time use).
 *
 * Latency: frame t covers samples [160t, 160t + 400), so its statics are ready once that window is in. Δ_t
 * needs statics up to t + 2 and ΔΔ_t needs Δ up to t + 2, i.e. statics up to t + 4: a 39-dim frame t comes out
 * 4 frames (40 ms) after its static part could, i.e. once sample 160t + 1040 has arrived. `end()` flushes the
 * last 4 frames with the edge frame repeated, exactly as the batch version does. Consumers that need strictly
 * causal input use `{ deltas: false }`: 13 statics (log energy + c1..c12) per frame, with no look-ahead.
 */
import { checkFinite, staticKernel } from "./mfcc.js";
import {
  DELTA_WINDOW,
  deltaInto,
  FRAME_LENGTH,
  FRAME_STEP,
  INPUT_SCALE,
  NUM_FEATURES,
  NUM_STATIC,
  PRE_EMPHASIS,
} from "./mfcc-recipe.js";

/** Growable row storage that can drop old rows (so a long stream keeps O(1) memory). */
class Rows {
  data: Float32Array;
  /** Absolute index of stored row 0. */
  base = 0;
  count = 0;
  constructor(readonly width: number) {
    this.data = new Float32Array(16 * width);
  }
  reserve(): number {
    if ((this.count + 1) * this.width > this.data.length) {
      const grown = new Float32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    return this.count++ * this.width;
  }
  /** Drops rows with absolute index < `from`. */
  dropBefore(from: number): void {
    const drop = Math.min(this.count, from - this.base);
    if (drop < 64) return; // amortize the copy
    this.data.copyWithin(0, drop * this.width, this.count * this.width);
    this.count -= drop;
    this.base += drop;
  }
}

/** Options for {@link MfccStream}. */
export interface MfccStreamOptions {
  /** true (default): 39-dim frames with Δ/ΔΔ, 4 frames of latency; false: 13 statics, strictly causal. */
  readonly deltas?: boolean;
}

/**
 * Incremental MFCC over one utterance at a time; `end()` finishes it and resets the stream for the next.
 * Output equals `mfcc(all samples)` (or `staticMfcc`) bit for bit, whatever the chunking.
 */
export class MfccStream {
  /** Values per output frame: 39, or 13 with `deltas: false`. */
  readonly dim: number;
  /** Frames an output frame lags behind its statics: 2·DELTA_WINDOW = 4 with deltas, else 0. */
  readonly latencyFrames: number;
  private readonly deltas: boolean;
  private pending = new Float64Array(4096);
  private pendingLength = 0;
  private prev = 0;
  private readonly statics = new Rows(NUM_STATIC);
  private readonly deltaRows = new Rows(NUM_STATIC);
  private nStatic = 0;
  private nDelta = 0;
  private nOut = 0;

  constructor(options: MfccStreamOptions = {}) {
    this.deltas = options.deltas ?? true;
    this.dim = this.deltas ? NUM_FEATURES : NUM_STATIC;
    this.latencyFrames = this.deltas ? 2 * DELTA_WINDOW : 0;
  }

  /**
   * Feeds 16 kHz samples in [-1, 1].
   * @returns the frames completed by this chunk, `[n · dim]` row-major (n may be 0).
   * @throws SpeechError `MFCC_BAD_INPUT` for NaN/∞ samples (the stream is unchanged then).
   */
  push(chunk: Float32Array): Float32Array {
    checkFinite(chunk, "MfccStream.push");
    this.appendEmphasized(chunk);
    const kernel = staticKernel();
    let at = 0;
    const fresh: number[] = [];
    while (this.pendingLength - at >= FRAME_LENGTH) {
      const row = this.statics.reserve();
      kernel.compute(this.pending, at, this.statics.data, row);
      fresh.push(this.nStatic++);
      at += FRAME_STEP;
    }
    this.pending.copyWithin(0, at, this.pendingLength);
    this.pendingLength -= at;
    if (!this.deltas) return this.takeStatics(fresh);
    return this.advance(Number.POSITIVE_INFINITY);
  }

  /**
   * Ends the utterance: flushes the frames still waiting for look-ahead (edge frame repeated) and resets
   * the stream. Trailing samples that do not fill a whole 400-sample frame are dropped, as in batch.
   * @returns `[n · dim]` (empty without deltas: static frames never wait).
   */
  end(): Float32Array {
    const out = this.deltas && this.nStatic > 0 ? this.advance(this.nStatic - 1) : new Float32Array(0);
    this.reset();
    return out;
  }

  /** Drops all state (a new utterance starts). */
  reset(): void {
    this.pendingLength = 0;
    this.prev = 0;
    for (const rows of [this.statics, this.deltaRows]) {
      rows.base = 0;
      rows.count = 0;
    }
    this.nStatic = 0;
    this.nDelta = 0;
    this.nOut = 0;
  }

  private appendEmphasized(chunk: Float32Array): void {
    if (this.pendingLength + chunk.length > this.pending.length) {
      const grown = new Float64Array(Math.max(2 * this.pending.length, this.pendingLength + chunk.length));
      grown.set(this.pending.subarray(0, this.pendingLength));
      this.pending = grown;
    }
    let prev = this.prev;
    for (let i = 0; i < chunk.length; i++) {
      const x = chunk[i]! * INPUT_SCALE;
      this.pending[this.pendingLength++] = x - PRE_EMPHASIS * prev;
      prev = x;
    }
    this.prev = prev;
  }

  private takeStatics(fresh: number[]): Float32Array {
    const out = new Float32Array(fresh.length * NUM_STATIC);
    const { statics } = this;
    fresh.forEach((t, i) => {
      const from = (t - statics.base) * NUM_STATIC;
      out.set(statics.data.subarray(from, from + NUM_STATIC), i * NUM_STATIC);
    });
    this.nOut = this.nStatic;
    statics.dropBefore(this.nStatic);
    return out;
  }

  /** Computes Δ and emits frames as far as the known statics allow; `last` is the final frame index at end. */
  private advance(last: number): Float32Array {
    const { statics, deltaRows } = this;
    const final = Number.isFinite(last);
    const deltaLimit = final ? this.nStatic : this.nStatic - DELTA_WINDOW;
    for (; this.nDelta < deltaLimit; this.nDelta++) {
      const row = deltaRows.reserve();
      const t = this.nDelta - statics.base;
      deltaInto(
        statics.data,
        NUM_STATIC,
        0,
        NUM_STATIC,
        t,
        Math.min(last, this.nStatic - 1) - statics.base,
        deltaRows.data,
        row,
      );
    }
    const outLimit = final ? this.nStatic : this.nDelta - DELTA_WINDOW;
    const count = Math.max(0, outLimit - this.nOut);
    const out = new Float32Array(count * NUM_FEATURES);
    for (let i = 0; i < count; i++, this.nOut++) {
      const o = i * NUM_FEATURES;
      const s = (this.nOut - statics.base) * NUM_STATIC;
      const d = (this.nOut - deltaRows.base) * NUM_STATIC;
      out.set(statics.data.subarray(s, s + NUM_STATIC), o);
      out.set(deltaRows.data.subarray(d, d + NUM_STATIC), o + NUM_STATIC);
      const t = this.nOut - deltaRows.base;
      deltaInto(
        deltaRows.data,
        NUM_STATIC,
        0,
        NUM_STATIC,
        t,
        Math.min(last, this.nDelta - 1) - deltaRows.base,
        out,
        o + 2 * NUM_STATIC,
      );
    }
    statics.dropBefore(Math.min(this.nOut, this.nDelta - DELTA_WINDOW));
    deltaRows.dropBefore(this.nOut - DELTA_WINDOW);
    return out;
  }
}
