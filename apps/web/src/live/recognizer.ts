/**
 * The live pipeline of the page: audio at any rate → 16 kHz (StreamResampler) → MFCC-39 (`MfccStream`, 4 frames
 * of Δ/ΔΔ look-ahead) → CMVN → core's `stream()` over a unidirectional phone classifier, states carried from one
 * push to the next. Audio that arrives while the backend is busy is queued and pushed as one chunk `[t, 1, 39]`,
 * so a slow backend (webgl on a software GPU) falls behind by a bounded amount instead of piling up promises.
 */
import { type Executable, type Stream, stream } from "@recurrent/core";
import { MFCC_SAMPLE_RATE, MfccStream, NUM_CLASSES, NUM_FEATURES } from "@recurrent/speech";
import { StreamResampler } from "../audio/stream-resampler.js";
import { OUTPUT, type PhoneModel } from "../phone-model.js";

/** How far (seconds of audio) a live source may run ahead of the backend before old audio is dropped. */
export const MAX_BACKLOG_SECONDS = 5;

/** One frame's decision. */
export interface FrameDecision {
  /** Frame index since the start (10 ms each). */
  readonly index: number;
  /** Arg-max class. */
  readonly phone: number;
  /** Softmax probability of `phone`. */
  readonly confidence: number;
  /** `[40]` softmax probabilities. */
  readonly probs: Float32Array;
  /** Milliseconds from the arrival of the audio that completed this frame to its decision. */
  readonly latencyMs: number;
}

/** Softmax of `logits[offset … offset + n)` into a new array. */
export function softmax(logits: Float32Array, offset: number, n: number): Float32Array {
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < n; k++) max = Math.max(max, logits[offset + k]!);
  const out = new Float32Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) sum += out[k] = Math.exp(logits[offset + k]! - max);
  for (let k = 0; k < n; k++) out[k]! /= sum;
  return out;
}

/** Index of the largest value (the first on ties). */
export function argmax(values: Float32Array): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k]! > values[best]!) best = k;
  return best;
}

/** Streams audio of one sample rate through one compiled phone classifier. */
export class Recognizer {
  private readonly live: Stream;
  private readonly mfcc = new MfccStream();
  private readonly resampler: StreamResampler;
  private readonly pending: { samples: Float32Array; arrived: number }[] = [];
  private pumping: Promise<void> | undefined;
  private frames = 0;
  private dropped = 0;
  private ended = false;

  /**
   * @param exe the compiled model (unidirectional; see core's `stream()`).
   * @param sourceRate sample rate of the audio that will be pushed, in Hz.
   * @param onFrames called with the decisions of every processed chunk, in order.
   * @throws BackendError `STREAM` from core when the model cannot stream; RangeError for a bad rate.
   */
  constructor(
    exe: Executable,
    private readonly phoneModel: PhoneModel,
    sourceRate: number,
    private readonly onFrames: (frames: FrameDecision[]) => void,
  ) {
    this.live = stream(exe);
    this.resampler = new StreamResampler(sourceRate, MFCC_SAMPLE_RATE);
  }

  /** Frames decided so far. */
  get frameCount(): number {
    return this.frames;
  }

  /** Seconds of audio queued behind the backend (how far the display lags real time). */
  get backlogSeconds(): number {
    return this.pending.reduce((s, p) => s + p.samples.length, 0) / this.resampler.fromRate;
  }

  /** Seconds of audio dropped because the backend fell more than {@link MAX_BACKLOG_SECONDS} behind. */
  get droppedSeconds(): number {
    return this.dropped / this.resampler.fromRate;
  }

  /**
   * Queues audio at the source rate; processing runs in order, one chunk at a time. A live source that gets more
   * than {@link MAX_BACKLOG_SECONDS} ahead of the backend loses its oldest queued audio (a gap in the stream),
   * so a backend slower than real time shows recent sound instead of falling ever further behind.
   */
  push(samples: Float32Array, arrived = performance.now(), live = true): void {
    if (this.ended) return;
    this.pending.push({ samples, arrived });
    if (live) {
      while (this.pending.length > 1 && this.backlogSeconds > MAX_BACKLOG_SECONDS) {
        this.dropped += this.pending.shift()!.samples.length;
      }
    }
    this.pumping ??= this.pump().finally(() => {
      this.pumping = undefined;
    });
  }

  /** Ends the input: flushes the resampler and the MFCC look-ahead. Resolves when every frame is decided. */
  async end(): Promise<void> {
    while (this.pumping) await this.pumping;
    this.ended = true;
    const now = performance.now();
    const tail = this.resampler.end();
    const a = this.mfcc.push(tail);
    const b = this.mfcc.end();
    const block = new Float32Array(a.length + b.length);
    block.set(a);
    block.set(b, a.length);
    await this.decide(block, now);
  }

  /** Resolves once the queued audio is processed. */
  async idle(): Promise<void> {
    while (this.pumping) await this.pumping;
  }

  private async pump(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0);
      const arrived = batch[0]!.arrived;
      let n = 0;
      for (const p of batch) n += p.samples.length;
      const all = new Float32Array(n);
      n = 0;
      for (const p of batch) {
        all.set(p.samples, n);
        n += p.samples.length;
      }
      await this.decide(this.mfcc.push(this.resampler.push(all)), arrived);
    }
  }

  private async decide(block: Float32Array, arrived: number): Promise<void> {
    const t = block.length / NUM_FEATURES;
    if (t === 0) return;
    const x = this.phoneModel.cmvn.apply({ shape: [t, NUM_FEATURES], data: block });
    const out = (await this.live.push({ shape: [t, 1, NUM_FEATURES], data: x.data }))[OUTPUT]!;
    const done = performance.now();
    const decisions: FrameDecision[] = [];
    for (let i = 0; i < t; i++) {
      const probs = softmax(out.data, i * NUM_CLASSES, NUM_CLASSES);
      const phone = argmax(probs);
      decisions.push({ index: this.frames++, phone, confidence: probs[phone]!, probs, latencyMs: done - arrived });
    }
    this.onFrames(decisions);
  }
}
