/**
 * Speech / non-speech labels per 32 ms chunk from a phone alignment, as the official fine-tuning recipe makes
 * them: audio is zero-padded to a whole number of chunks, each sample is 1 inside a speech segment and 0
 * elsewhere, and a chunk is speech when more than half of its 512 samples are.
 */
import { CHUNK_SAMPLES } from "./constants.js";
import { SileroError } from "./errors.js";

/** One aligned segment: samples [start, end) carry `label` (a phone, `sil`, `pau`, `h#`, …). */
export interface LabelledSegment {
  readonly start: number;
  readonly end: number;
  readonly label: string;
}

/** The labels that mean "no speech" in TIMIT-style alignments. */
export const NON_SPEECH_LABELS: readonly string[] = ["sil", "pau", "h#"];

/** Options of {@link chunkLabels}. */
export interface ChunkLabelOptions {
  /** Labels counted as non-speech; default {@link NON_SPEECH_LABELS}. Samples no segment covers are non-speech. */
  readonly nonSpeech?: readonly string[];
}

/** Number of 512-sample chunks that cover `samples` samples (the last one zero-padded). */
export function chunkCount(samples: number): number {
  return Math.ceil(samples / CHUNK_SAMPLES);
}

/**
 * One 0/1 label per 512-sample chunk (1 = speech).
 * @param segments the alignment, in samples at 16 kHz (end exclusive).
 * @param samples the audio length; the result has `ceil(samples / 512)` labels.
 * @throws SileroError BAD_INPUT when `samples` is not a non-negative integer or a segment is not a range of
 *   integers 0 ≤ start < end ≤ samples.
 */
export function chunkLabels(
  segments: readonly LabelledSegment[],
  samples: number,
  options: ChunkLabelOptions = {},
): Float32Array {
  if (!Number.isInteger(samples) || samples < 0) {
    throw new SileroError("BAD_INPUT", `chunkLabels: samples must be a non-negative integer, got ${samples}`);
  }
  const nonSpeech = new Set(options.nonSpeech ?? NON_SPEECH_LABELS);
  const chunks = chunkCount(samples);
  const speechSamples = new Float64Array(chunks);
  segments.forEach((s, i) => {
    if (!Number.isInteger(s.start) || !Number.isInteger(s.end) || s.start < 0 || s.start >= s.end || s.end > samples) {
      throw new SileroError(
        "BAD_INPUT",
        `chunkLabels: segment ${i} ("${s.label}") is [${s.start}, ${s.end}), expected integers with 0 <= start < end <= ${samples} samples`,
      );
    }
    if (nonSpeech.has(s.label)) return;
    // Count this segment's samples into every chunk it overlaps.
    for (let c = Math.floor(s.start / CHUNK_SAMPLES); c * CHUNK_SAMPLES < s.end; c++) {
      const from = Math.max(s.start, c * CHUNK_SAMPLES);
      const to = Math.min(s.end, (c + 1) * CHUNK_SAMPLES);
      speechSamples[c]! += to - from;
    }
  });
  return Float32Array.from(speechSamples, (n) => (n > CHUNK_SAMPLES / 2 ? 1 : 0));
}
