/**
 * Speech segments from per-chunk probabilities: the official `get_speech_timestamps` in simple form (enter speech
 * at `threshold`, leave it after `minSilenceMs` below `negThreshold`, drop segments shorter than `minSpeechMs`,
 * pad each side by `speechPadMs`). The official `max_speech_duration_s` splitting is not implemented.
 */
import { CHUNK_SAMPLES, SAMPLE_RATE } from "./constants.js";
import { SileroError } from "./errors.js";

/** A detected speech segment, in samples at 16 kHz (end exclusive). */
export interface SpeechSegment {
  readonly start: number;
  readonly end: number;
}

/** Options of {@link speechSegments}; the defaults are the official ones. */
export interface SegmentOptions {
  /** A chunk with probability ≥ this starts (or continues) speech; default 0.5. */
  readonly threshold?: number;
  /** Inside speech, a chunk below this counts as silence; default `max(threshold − 0.15, 0.01)`. */
  readonly negThreshold?: number;
  /** Segments this short or shorter are dropped; default 250 ms. */
  readonly minSpeechMs?: number;
  /** Silence must last this long to end a segment; default 100 ms. */
  readonly minSilenceMs?: number;
  /** Padding added on each side of a segment (halved between close segments); default 30 ms. */
  readonly speechPadMs?: number;
}

function checkRange(name: string, value: number, lo: number, hi: number): number {
  if (!(value >= lo && value <= hi)) {
    throw new SileroError("BAD_OPTIONS", `speechSegments: ${name} must be in [${lo}, ${hi}], got ${value}`);
  }
  return value;
}

/**
 * Speech segments of audio whose 512-sample chunks had probabilities `probs`.
 * @param probs one probability per chunk, in order (chunk i covers samples 512·i … 512·i + 511).
 * @param samples the audio length in samples (segments end at most here); default `512 · probs.length`.
 * @throws SileroError BAD_OPTIONS for a threshold outside [0, 1] or a negative duration; BAD_INPUT when
 *   `samples` does not fit `probs.length` chunks.
 */
export function speechSegments(
  probs: ArrayLike<number>,
  samples: number = probs.length * CHUNK_SAMPLES,
  options: SegmentOptions = {},
): SpeechSegment[] {
  const threshold = checkRange("threshold", options.threshold ?? 0.5, 0, 1);
  const negThreshold = checkRange("negThreshold", options.negThreshold ?? Math.max(threshold - 0.15, 0.01), 0, 1);
  const ms = (v: number) => (SAMPLE_RATE * v) / 1000;
  const minSpeech = ms(checkRange("minSpeechMs", options.minSpeechMs ?? 250, 0, Number.MAX_VALUE));
  const minSilence = ms(checkRange("minSilenceMs", options.minSilenceMs ?? 100, 0, Number.MAX_VALUE));
  const pad = ms(checkRange("speechPadMs", options.speechPadMs ?? 30, 0, Number.MAX_VALUE));
  if (!Number.isInteger(samples) || samples < 0 || samples > probs.length * CHUNK_SAMPLES) {
    throw new SileroError(
      "BAD_INPUT",
      `speechSegments: samples = ${samples} does not fit ${probs.length} chunks (at most ${probs.length * CHUNK_SAMPLES})`,
    );
  }

  const found: { start: number; end: number }[] = [];
  let start = -1; // start of the open segment; -1 outside speech
  let silenceFrom = -1; // where the current run of silence inside speech began; -1 when none
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i]!;
    const at = i * CHUNK_SAMPLES;
    if (p >= threshold) {
      silenceFrom = -1;
      if (start < 0) start = at;
      continue;
    }
    if (start < 0 || p >= negThreshold) continue;
    if (silenceFrom < 0) silenceFrom = at;
    if (at - silenceFrom < minSilence) continue;
    if (silenceFrom - start > minSpeech) found.push({ start, end: silenceFrom });
    start = -1;
    silenceFrom = -1;
  }
  if (start >= 0 && samples - start > minSpeech) found.push({ start, end: samples });

  // Pad each side; two segments closer than twice the padding meet halfway.
  for (let i = 0; i < found.length; i++) {
    const s = found[i]!;
    if (i === 0) s.start = Math.max(0, Math.trunc(s.start - pad));
    const next = found[i + 1];
    if (next === undefined) {
      s.end = Math.min(samples, Math.trunc(s.end + pad));
      continue;
    }
    const gap = next.start - s.end;
    const shift = gap < 2 * pad ? Math.floor(gap / 2) : pad;
    s.end = Math.trunc(gap < 2 * pad ? s.end + shift : Math.min(samples, s.end + shift));
    next.start = Math.max(0, Math.trunc(next.start - shift));
  }
  return found;
}
