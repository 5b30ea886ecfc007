/**
 * TIMIT-style `.phn` alignments (`start end label` per line, sample indices, end exclusive) and their
 * mapping to frame labels.
 */
import { SpeechError } from "./errors.js";
import { FRAME_LENGTH, FRAME_STEP } from "./mfcc-recipe.js";
import { phoneIndex, SIL } from "./phones.js";

/** One aligned phone: samples [start, end) carry `label`. */
export interface PhoneSegment {
  readonly start: number;
  readonly end: number;
  readonly label: string;
}

/**
 * Parses a `.phn` file. Blank lines are ignored; segments must be in order and must not overlap (gaps are
 * allowed, as in TIMIT).
 * @param name a file name for error messages.
 * @throws SpeechError `PHN_PARSE` naming the line: wrong field count, non-integer or negative sample, start >=
 *   end, or a segment starting before the previous one ends.
 */
export function parsePhn(text: string, name = "<phn>"): PhoneSegment[] {
  const segments: PhoneSegment[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    const at = `${name}:${i + 1}`;
    const fields = line.split(/\s+/);
    if (fields.length !== 3) {
      throw new SpeechError(
        "PHN_PARSE",
        `${at}: expected "start end label", found ${fields.length} fields in "${line}"`,
      );
    }
    const [a, b, label] = fields as [string, string, string];
    if (!/^\d+$/.test(a) || !/^\d+$/.test(b)) {
      throw new SpeechError(
        "PHN_PARSE",
        `${at}: start and end must be non-negative integer samples, found "${a}" "${b}"`,
      );
    }
    const start = Number(a);
    const end = Number(b);
    if (start >= end) throw new SpeechError("PHN_PARSE", `${at}: start ${start} is not before end ${end}`);
    const prev = segments.at(-1);
    if (prev && start < prev.end) {
      throw new SpeechError(
        "PHN_PARSE",
        `${at}: segment starts at ${start}, before the previous one ends (${prev.end}); segments must be sorted and disjoint`,
      );
    }
    segments.push({ start, end, label });
  });
  return segments;
}

/** Formats segments as a `.phn` file (one `start end label` line each, trailing newline). */
export function writePhn(segments: readonly PhoneSegment[]): string {
  return segments.map((s) => `${s.start} ${s.end} ${s.label}\n`).join("");
}

/** Options for {@link frameLabels}. */
export interface FrameLabelOptions {
  /** What a frame whose centre no segment covers gets: "throw" (default) or "sil". */
  readonly uncovered?: "throw" | "sil";
  /** Frame geometry; defaults are the MFCC recipe's 400 / 160 samples. */
  readonly frameLength?: number;
  readonly frameStep?: number;
}

/**
 * Class labels per frame: frame t gets the class (see `phoneIndex`) of the segment containing its centre
 * sample t·step + length/2 (segment [start, end), end exclusive).
 * @returns `[numFrames]` class indices (0..39).
 * @throws SpeechError `LABEL_UNCOVERED` when a frame centre falls in a gap or past the last segment (unless
 *   `uncovered: "sil"`), `LABEL_UNKNOWN` for a label outside the 40 classes.
 */
export function frameLabels(
  segments: readonly PhoneSegment[],
  numFrames: number,
  options: FrameLabelOptions = {},
): Int32Array {
  const length = options.frameLength ?? FRAME_LENGTH;
  const step = options.frameStep ?? FRAME_STEP;
  const classes = segments.map((s) => phoneIndex(s.label));
  const out = new Int32Array(numFrames);
  let seg = 0;
  for (let t = 0; t < numFrames; t++) {
    const centre = t * step + Math.floor(length / 2);
    while (seg < segments.length && segments[seg]!.end <= centre) seg++;
    const s = segments[seg];
    if (s !== undefined && s.start <= centre) {
      out[t] = classes[seg]!;
    } else if (options.uncovered === "sil") {
      out[t] = SIL;
    } else {
      throw new SpeechError(
        "LABEL_UNCOVERED",
        `frame ${t} (centre sample ${centre}) is not covered by any segment; segments span ${segments[0]?.start ?? 0}..${segments.at(-1)?.end ?? 0}; hint: pass { uncovered: "sil" }`,
      );
    }
  }
  return out;
}
