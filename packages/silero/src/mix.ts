/**
 * Training material for a VAD from aligned utterances: the utterances in a seeded order with seeded pauses of
 * silence between them, so that a clip holds both speech and non-speech chunks (aligned corpora are mostly
 * speech). Add noise afterwards ({@link addNoise}) to make the pauses hard.
 */
import { createRng } from "@recurrent/core";
import { SAMPLE_RATE } from "./constants.js";
import { SileroError } from "./errors.js";
import type { LabelledSegment } from "./labels.js";

/** A 16 kHz recording with its alignment (segments in samples). */
export interface AlignedAudio {
  readonly samples: Float32Array;
  readonly segments: readonly LabelledSegment[];
}

/** Options of {@link joinWithPauses}. */
export interface PauseOptions {
  /** Seed of the order and the pause lengths. */
  readonly seed: number;
  /** Shortest pause in seconds; default 0.2. */
  readonly minPause?: number;
  /** Longest pause in seconds; default 1. */
  readonly maxPause?: number;
}

/**
 * One recording: a pause, then each utterance (in a seeded order) followed by a pause; pauses are zeros of a
 * seeded length in [minPause, maxPause] s and carry no segment (non-speech).
 * @throws SileroError BAD_OPTIONS when the pause range is not 0 ≤ min ≤ max; BAD_INPUT for no utterances.
 */
export function joinWithPauses(utterances: readonly AlignedAudio[], options: PauseOptions): AlignedAudio {
  const min = options.minPause ?? 0.2;
  const max = options.maxPause ?? 1;
  if (!(min >= 0 && max >= min)) {
    throw new SileroError("BAD_OPTIONS", `joinWithPauses: needs 0 <= minPause <= maxPause, got ${min} and ${max}`);
  }
  if (utterances.length === 0) throw new SileroError("BAD_INPUT", "joinWithPauses: no utterances to join");
  const rng = createRng(options.seed, "silero.pauses");
  const order = utterances.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const pause = () => Math.round(SAMPLE_RATE * (min + (max - min) * rng.next()));
  const pauses = [pause(), ...order.map(() => pause())];
  const total = pauses.reduce((a, b) => a + b, 0) + utterances.reduce((a, u) => a + u.samples.length, 0);
  const samples = new Float32Array(total);
  const segments: LabelledSegment[] = [];
  let at = pauses[0]!;
  order.forEach((index, k) => {
    const u = utterances[index]!;
    samples.set(u.samples, at);
    for (const s of u.segments) segments.push({ start: s.start + at, end: s.end + at, label: s.label });
    at += u.samples.length + pauses[k + 1]!;
  });
  return { samples, segments };
}
