/**
 * A folder of the user's recordings: WAV files, each with a label file of the same name beside it (`a.wav` +
 * `a.phn`, `a.TextGrid` or `a.csv`), searched recursively. Audio at another rate is resampled to 16 kHz and
 * stereo is mixed down to mono (the conversions the MFCC recipe needs); everything else that does not fit is an
 * error naming the file and both values.
 */
import { readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { type FloatTensor, PHONE_CLASSES, phoneIndex } from "@recurrent/speech";
import { CliError } from "../cli/errors.js";
import { readWavFeatures } from "../data.js";
import { LABEL_EXTENSIONS, readLabelFile } from "./label-files.js";
import type { TimedSegment } from "./textgrid.js";

/** Seconds between frames and from a frame's start to its centre (MFCC recipe: 10 ms step, 25 ms window). */
export const FRAME_STEP_S = 0.01;
export const FRAME_CENTRE_S = 0.0125;

/** Labels may end this far past the audio (a rounding of the last sample) before it is an error. */
const END_TOLERANCE_S = 0.005;

/** One recording of the folder. */
export interface Recording {
  /** Path relative to the folder without the extension, e.g. `spk1/a`. */
  readonly id: string;
  readonly wav: string;
  readonly labels: string;
  /** MFCC-39 `[T, 39]`, not normalized. */
  readonly frames: FloatTensor;
  readonly seconds: number;
  readonly sampleRate: number;
  readonly channels: number;
  readonly segments: readonly TimedSegment[];
}

/** Options of {@link readFolder}. */
export interface FolderOptions {
  /** TextGrid tier name. */
  readonly tier?: string;
}

async function walk(dir: string): Promise<string[]> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === "ENOENT" ? "no such folder" : e.code === "ENOTDIR" ? "is not a folder" : e.message;
    throw new CliError("FILE", `--data ${dir}: ${why}`);
  }
  const out: string[] = [];
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

const stem = (path: string) => path.replace(/\.[^./\\]+$/, "");

/**
 * Pairs every WAV with its label file.
 * @throws CliError `FILE`: the folder has no WAV, no label file at all, or names that do not pair up (listing
 *   up to five of each side), or a WAV has two label files.
 */
export async function pairFiles(dir: string): Promise<{ id: string; wav: string; labels: string }[]> {
  const files = await walk(dir);
  const wavs = files.filter((f) => /\.wav$/i.test(f));
  const labelFiles = files.filter((f) => LABEL_EXTENSIONS.some((x) => f.toLowerCase().endsWith(x.toLowerCase())));
  if (wavs.length === 0) throw new CliError("FILE", `--data ${dir}: no .wav files in the folder`);
  if (labelFiles.length === 0) {
    throw new CliError(
      "FILE",
      `--data ${dir}: ${wavs.length} WAV files but no labels; put a ${LABEL_EXTENSIONS.join(", ")} file of the same name beside each WAV`,
    );
  }
  const byStem = new Map<string, string[]>();
  for (const l of labelFiles) byStem.set(stem(l), [...(byStem.get(stem(l)) ?? []), l]);
  const lonelyWavs = wavs.filter((w) => !byStem.has(stem(w)));
  const wavStems = new Set(wavs.map(stem));
  const lonelyLabels = labelFiles.filter((l) => !wavStems.has(stem(l)));
  if (lonelyWavs.length > 0 || lonelyLabels.length > 0) {
    const show = (list: string[]) =>
      list
        .slice(0, 5)
        .map((p) => relative(dir, p))
        .join(", ") + (list.length > 5 ? `, … (${list.length} in all)` : "");
    const parts = [];
    if (lonelyWavs.length > 0) parts.push(`WAV files without a label file: ${show(lonelyWavs)}`);
    if (lonelyLabels.length > 0) parts.push(`label files without a WAV: ${show(lonelyLabels)}`);
    throw new CliError(
      "FILE",
      `--data ${dir}: names do not pair up (a.wav needs a.phn, a.TextGrid or a.csv). ${parts.join("; ")}`,
    );
  }
  return wavs.map((wav) => {
    const labels = byStem.get(stem(wav))!;
    if (labels.length > 1) {
      throw new CliError(
        "FILE",
        `${wav}: more than one label file (${labels.map((l) => relative(dir, l)).join(", ")}); keep one`,
      );
    }
    return { id: relative(dir, stem(wav)), wav, labels: labels[0]! };
  });
}

/**
 * Reads every recording of the folder: features and label segments.
 * @throws CliError `FILE` as {@link pairFiles}, for unreadable WAV or label files, and for labels that end past
 *   the end of the audio (naming both times).
 */
export async function readFolder(dir: string, options: FolderOptions = {}): Promise<Recording[]> {
  const pairs = await pairFiles(dir);
  const out: Recording[] = [];
  for (const p of pairs) {
    const audio = await readWavFeatures(p.wav);
    const segments = await readLabelFile(p.labels, audio.sampleRate, options.tier);
    const last = segments.at(-1);
    if (last !== undefined && last.end > audio.seconds + END_TOLERANCE_S) {
      throw new CliError(
        "FILE",
        `${p.labels}: labels run to ${last.end.toFixed(3)} s ("${last.label}") but ${p.wav} lasts ${audio.seconds.toFixed(3)} s; are they for another recording, or at another sample rate?`,
      );
    }
    out.push({
      ...p,
      frames: audio.frames,
      seconds: audio.seconds,
      sampleRate: audio.sampleRate,
      channels: audio.channels,
      segments,
    });
  }
  return out;
}

/** The distinct labels of the recordings, sorted, with `gap` added when some frame centre falls in no segment. */
export function inferLabels(recordings: readonly Recording[], gap: string): string[] {
  const set = new Set<string>();
  for (const r of recordings) {
    for (const s of r.segments) set.add(s.label);
    if (hasGap(r)) set.add(gap);
  }
  return [...set].sort();
}

function hasGap(r: Recording): boolean {
  const T = r.frames.shape[0]!;
  let seg = 0;
  for (let t = 0; t < T; t++) {
    const c = t * FRAME_STEP_S + FRAME_CENTRE_S;
    while (seg < r.segments.length && r.segments[seg]!.end <= c) seg++;
    const s = r.segments[seg];
    if (s === undefined || s.start > c) return true;
  }
  return false;
}

/**
 * Class index per frame: the segment containing the frame's centre (t · 10 ms + 12.5 ms), or `gap` where none
 * does. With the 40 phone classes as the label set, labels are also read as `phoneIndex` does (case, stress
 * digits, silence aliases such as `h#` and `pau`).
 * @throws CliError `BAD_OPTION` naming the file, the symbol and the known labels for a symbol outside `labels`.
 */
export function frameClasses(r: Recording, labels: readonly string[], gap: string): Int32Array {
  const index = new Map(labels.map((l, i) => [l, i]));
  const phoneSet = labels.length === PHONE_CLASSES.length && labels.every((l, i) => l === PHONE_CLASSES[i]);
  const lookup = (label: string): number => {
    let i = index.get(label);
    if (i === undefined && phoneSet) {
      try {
        i = phoneIndex(label);
      } catch {
        // reported below, like any unknown label
      }
    }
    if (i === undefined) {
      const known = labels.length > 12 ? `${labels.slice(0, 12).join(", ")}, … (${labels.length})` : labels.join(", ");
      throw new CliError(
        "BAD_OPTION",
        `${r.labels}: unknown label "${label}"${label === gap ? " (frames no segment covers get --gap-label)" : ""}; the labels are ${known}. Add it to --labels, or map it in the label file`,
      );
    }
    return i;
  };
  const T = r.frames.shape[0]!;
  const out = new Int32Array(T);
  let seg = 0;
  for (let t = 0; t < T; t++) {
    const c = t * FRAME_STEP_S + FRAME_CENTRE_S;
    while (seg < r.segments.length && r.segments[seg]!.end <= c) seg++;
    const s = r.segments[seg];
    out[t] = lookup(s !== undefined && s.start <= c ? s.label : gap);
  }
  return out;
}
