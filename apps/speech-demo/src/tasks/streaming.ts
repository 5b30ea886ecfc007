/**
 * Real-time phone recognition, frame by frame: audio in 10 ms chunks → `MfccStream` (MFCC-39; 4 frames of
 * look-ahead for Δ/ΔΔ) → CMVN → core's `stream()` over a unidirectional classifier, state carried between
 * frames. Measures the compute latency of every frame (from the chunk's arrival to the frame's phone).
 */
import { BackendError, type Executable, stream } from "@recurrent/core";
import { type Cmvn, FRAME_STEP, MFCC_SAMPLE_RATE, MfccStream, NUM_CLASSES, NUM_FEATURES } from "@recurrent/speech";
import { CliError } from "../cli/errors.js";
import { OUTPUT } from "../models.js";
import { argmax } from "./infer.js";

/** One streamed frame. */
export interface StreamedFrame {
  readonly index: number;
  readonly phone: number;
  /** Milliseconds from the arrival of the audio chunk that completed this frame to its phone. */
  readonly latencyMs: number;
}

/** Options of {@link streamAudio}. */
export interface StreamAudioOptions {
  /** Samples per pushed chunk; default 160 (10 ms). */
  readonly chunkSamples?: number;
  /** Pace the chunks as a live microphone would (wall-clock), instead of as fast as possible. */
  readonly realtime?: boolean;
  /** Output units (classes); default the 40 phone classes. */
  readonly classes?: number;
  readonly onFrame?: (frame: StreamedFrame) => void;
}

/** A streaming run. */
export interface StreamRun {
  readonly frames: StreamedFrame[];
  /** Logits of every frame `[T, 40]`, in order. */
  readonly logits: Float32Array;
  /** Frames of look-ahead the features need (Δ/ΔΔ). */
  readonly lookaheadFrames: number;
  readonly seconds: number;
}

/**
 * Streams 16 kHz `samples` through a compiled unidirectional classifier.
 * @throws CliError `NOT_STREAMABLE` (with core's reason) for a model that must see the whole sequence
 *   (bidirectional, windowed, …).
 */
export async function streamAudio(
  exe: Executable,
  cmvn: Cmvn,
  samples: Float32Array,
  options: StreamAudioOptions = {},
): Promise<StreamRun> {
  let live: ReturnType<typeof stream>;
  try {
    live = stream(exe);
  } catch (err) {
    if (err instanceof BackendError && err.code === "STREAM") {
      throw new CliError("NOT_STREAMABLE", err.message);
    }
    throw err;
  }
  const features = new MfccStream();
  const chunkSamples = options.chunkSamples ?? FRAME_STEP;
  const frames: StreamedFrame[] = [];
  const logits: number[] = [];
  const started = performance.now();
  const emit = async (block: Float32Array, arrived: number) => {
    for (let o = 0; o < block.length; o += NUM_FEATURES) {
      const frame = cmvn.apply({ shape: [1, NUM_FEATURES], data: block.subarray(o, o + NUM_FEATURES) });
      const out = (await live.push(frame))[OUTPUT]!;
      const f = {
        index: frames.length,
        phone: argmax(out.data, 0, options.classes ?? NUM_CLASSES),
        latencyMs: performance.now() - arrived,
      };
      frames.push(f);
      for (const v of out.data) logits.push(v);
      options.onFrame?.(f);
    }
  };
  for (let at = 0, k = 0; at < samples.length; at += chunkSamples, k++) {
    if (options.realtime) {
      const due = started + ((k * chunkSamples) / MFCC_SAMPLE_RATE) * 1000;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const arrived = performance.now();
    await emit(features.push(samples.subarray(at, at + chunkSamples)), arrived);
  }
  const ended = performance.now();
  await emit(features.end(), ended);
  return {
    frames,
    logits: Float32Array.from(logits),
    lookaheadFrames: features.latencyFrames,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Mean, median, 95th percentile and maximum of latencies (ms). */
export function latencyStats(frames: readonly StreamedFrame[]): {
  mean: number;
  p50: number;
  p95: number;
  max: number;
} {
  const v = frames.map((f) => f.latencyMs).sort((a, b) => a - b);
  const at = (q: number) => v[Math.min(v.length - 1, Math.floor(q * v.length))] ?? Number.NaN;
  return {
    mean: v.reduce((a, b) => a + b, 0) / Math.max(1, v.length),
    p50: at(0.5),
    p95: at(0.95),
    max: v.at(-1) ?? Number.NaN,
  };
}
