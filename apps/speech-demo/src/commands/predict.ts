/**
 * `predict <wav>`: per-frame classes of a WAV file (any sample rate, resampled to 16 kHz; stereo mixed to mono),
 * as segments with confidences (`--format table|json|ctm|textgrid`), or one line per frame (`--frames`).
 * Timestamps are frame centres; `--median` and `--min-duration` smooth the segments. When a label file
 * (`.phn`, `.TextGrid`, `.csv`) sits beside the WAV, the frame accuracy against it is reported too.
 */
import { access } from "node:fs/promises";
import { basename } from "node:path";
import type { BackendName } from "../backends.js";
import type { Context } from "../cli/context.js";
import { CliError } from "../cli/errors.js";
import { NUM_FEATURES, readWavFeatures } from "../data.js";
import { frameClasses } from "../folder/folder.js";
import { LABEL_EXTENSIONS, readLabelFile } from "../folder/label-files.js";
import { writeTextGrid } from "../folder/textgrid.js";
import { duration, pct } from "../format.js";
import { normalizeFrames } from "../model-file.js";
import { runUtterances } from "../tasks/infer.js";
import {
  argmaxRows,
  frameCentre,
  medianFilter,
  type Segment,
  segmentsOf,
  smoothRuns,
  softmaxRows,
  topK,
} from "../tasks/segments.js";
import { openModel } from "./common.js";

export const PREDICT_FORMATS = ["table", "json", "ctm", "textgrid"] as const;
export type PredictFormat = (typeof PREDICT_FORMATS)[number];

/** Options of `predict`. */
export interface PredictOptions {
  readonly model?: string;
  readonly backend: BackendName;
  /** One line per frame instead of segments (table format). */
  readonly frames?: boolean;
  readonly format?: PredictFormat;
  /** Classes per frame in the JSON output (with their posteriors). */
  readonly topK?: number;
  /** Every class's posterior per frame in the JSON output. */
  readonly posteriors?: boolean;
  /** Median filter width in frames (odd; 1 = off). */
  readonly median?: number;
  /** Segments shorter than this many milliseconds are merged into a neighbour. */
  readonly minDuration?: number;
  /** Label of frames no segment of the label file beside the WAV covers. */
  readonly gapLabel?: string;
}

/** What `predict` found. */
export interface PredictResult {
  /** Predicted class per frame (after the median filter, before the minimum duration). */
  readonly phones: Int32Array;
  readonly segments: readonly Segment[];
  /** Accuracy against the label file beside the WAV, when there is one. */
  readonly accuracy?: number;
}

/**
 * Runs `predict`.
 * @throws CliError `FILE` for an unreadable WAV or label file; `BAD_OPTION` for an even `--median`; model and
 *   backend errors.
 */
export async function predictCommand(wav: string, options: PredictOptions, { io }: Context): Promise<PredictResult> {
  const format = options.format ?? "table";
  const median = options.median ?? 1;
  if (median % 2 !== 1) throw new CliError("BAD_OPTION", `--median must be an odd number of frames, got ${median}`);
  const audio = await readWavFeatures(wav);
  const m = await openModel(options.model, options.backend, "classify");
  let logits: Float32Array;
  try {
    [logits] = (await runUtterances(m.exe, [normalizeFrames(m, audio.frames).data], NUM_FEATURES)) as [Float32Array];
  } finally {
    await m.exe.dispose();
  }
  const C = m.labels.length;
  const T = audio.frames.shape[0]!;
  const post = softmaxRows(logits, C);
  const smoothed = medianFilter(post, C, median);
  const phones = argmaxRows(smoothed, C);
  const minFrames = Math.max(1, Math.round((options.minDuration ?? 0) / 10));
  const segments = segmentsOf(smoothRuns(phones, minFrames), post, C, m.labels);
  const accuracy = await scoreBeside(wav, audio.sampleRate, T, phones, m.labels, options.gapLabel ?? "sil");
  const header = `${wav}: ${duration(audio.seconds)} at ${audio.sampleRate} Hz${audio.channels > 1 ? ` (${audio.channels} channels mixed to mono)` : ""} → ${T} frames; model ${m.zooId} (${m.path}), backend ${options.backend}`;
  const s3 = (x: number) => (Math.round(x * 1000) / 1000).toFixed(3); // 0.0075 → 0.008 (toFixed alone: 0.007)

  if (format === "json") {
    const k = Math.min(C, options.topK ?? 3);
    io.out(
      JSON.stringify({
        file: wav,
        sampleRate: audio.sampleRate,
        seconds: audio.seconds,
        model: { path: m.path, name: m.zooId },
        labels: m.labels,
        frameStep: 0.01,
        time: "frame centres: t * 0.01 + 0.0125 s",
        smoothing: { median, minDurationMs: options.minDuration ?? 0 },
        segments: segments.map((s) => ({
          start: round(s.start),
          end: round(s.end),
          label: s.label,
          confidence: round(s.confidence),
        })),
        frames: Array.from({ length: T }, (_, t) => ({
          time: round(frameCentre(t)),
          ...(options.posteriors
            ? { posteriors: Array.from(post.subarray(t * C, (t + 1) * C), round) }
            : { top: topK(post, C, t, k).map((c) => ({ label: m.labels[c.label], p: round(c.p) })) }),
        })),
        ...(accuracy !== undefined ? { accuracy: round(accuracy.value), against: accuracy.file } : {}),
      }),
    );
  } else if (format === "ctm") {
    const id = basename(wav).replace(/\.wav$/i, "");
    for (const s of segments)
      io.out(`${id} 1 ${s3(s.start)} ${s3(s.end - s.start)} ${s.label} ${s.confidence.toFixed(3)}`);
  } else if (format === "textgrid") {
    io.out(writeTextGrid(segments, audio.seconds).trimEnd());
  } else {
    io.out(header);
    if (options.frames) {
      io.out("frame  centre (s)  label  confidence");
      for (let t = 0; t < T; t++) {
        const p = post[t * C + phones[t]!]!;
        io.out(
          `${String(t).padStart(5)}  ${frameCentre(t).toFixed(4).padStart(10)}  ${m.labels[phones[t]!]!.padEnd(5)}  ${p.toFixed(3)}`,
        );
      }
    } else {
      io.out("start (s)  end (s)  label  confidence");
      for (const s of segments) {
        io.out(
          `${s3(s.start).padStart(9)}  ${s3(s.end).padStart(7)}  ${s.label.padEnd(5)}  ${s.confidence.toFixed(3)}`,
        );
      }
    }
    if (accuracy !== undefined) {
      io.out(`frame accuracy against ${accuracy.file}: ${pct(accuracy.value)} (${accuracy.correct}/${T})`);
    }
  }
  return { phones, segments, ...(accuracy !== undefined ? { accuracy: accuracy.value } : {}) };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/** Frame accuracy against the first label file beside the WAV (same name), if any. */
async function scoreBeside(
  wav: string,
  sampleRate: number,
  T: number,
  phones: Int32Array,
  labels: readonly string[],
  gap: string,
): Promise<{ file: string; value: number; correct: number } | undefined> {
  const stem = wav.replace(/\.wav$/i, "");
  if (stem === wav) return undefined;
  for (const ext of LABEL_EXTENSIONS) {
    const file = stem + ext;
    if (!(await exists(file))) continue;
    const segments = await readLabelFile(file, sampleRate);
    const truth = frameClasses(
      {
        id: stem,
        wav,
        labels: file,
        frames: { shape: [T, NUM_FEATURES], data: new Float32Array(0) },
        seconds: 0,
        sampleRate,
        channels: 1,
        segments,
      },
      labels,
      gap,
    );
    let correct = 0;
    for (let t = 0; t < T; t++) if (truth[t] === phones[t]) correct++;
    return { file, value: correct / T, correct };
  }
  return undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
