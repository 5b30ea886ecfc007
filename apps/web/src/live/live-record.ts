/**
 * What the Live part did, for the end-to-end tests and for anyone debugging in the console
 * (`window.__recurrent.live`): every frame's decision, and the first minute of raw input audio so that a test can
 * align it with the source file. Bounded: a long session keeps the first {@link MAX_SECONDS} only.
 */
import type { FrameDecision } from "./recognizer.js";

/** Audio and decisions are kept for this many seconds of input. */
export const MAX_SECONDS = 60;

export class LiveRecord {
  sourceRate = 0;
  backend = "";
  model = "";
  running = false;
  done = false;
  error: string | undefined;
  /** Arg-max class of every frame, in order. */
  phones: number[] = [];
  latencies: number[] = [];
  private chunks: Float32Array[] = [];
  private kept = 0;

  start(sourceRate: number, backend: string, model: string): void {
    Object.assign(this, { sourceRate, backend, model, running: false, done: false, error: undefined });
    this.phones = [];
    this.latencies = [];
    this.chunks = [];
    this.kept = 0;
  }

  audio(block: Float32Array): void {
    if (this.kept >= MAX_SECONDS * this.sourceRate) return;
    this.chunks.push(block.slice());
    this.kept += block.length;
  }

  frames(frames: readonly FrameDecision[]): void {
    if (this.phones.length >= MAX_SECONDS * 100) return;
    for (const f of frames) {
      this.phones.push(f.phone);
      this.latencies.push(f.latencyMs);
    }
  }

  /** The recorded input audio as one array (source rate). */
  rawAudio(): number[] {
    const out: number[] = [];
    for (const c of this.chunks) for (const v of c) out.push(v);
    return out;
  }
}
