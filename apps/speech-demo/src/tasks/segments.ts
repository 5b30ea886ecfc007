/**
 * From per-frame logits to what `predict` prints: softmax posteriors, an optional median filter over time (per
 * class, then arg-max), a minimum segment duration, segments with their mean confidence, and timestamps at
 * frame centres (frame t covers the 25 ms window starting at t · 10 ms; its centre is t · 10 ms + 12.5 ms, the
 * point the labels of a `.phn` file are read at).
 */
import { FRAME_CENTRE_S, FRAME_STEP_S } from "../folder/folder.js";

/** Seconds of frame t's centre. */
export const frameCentre = (t: number): number => t * FRAME_STEP_S + FRAME_CENTRE_S;

/** Softmax over each row of `[T, C]` logits (row-major), max-subtracted. */
export function softmaxRows(logits: Float32Array, C: number): Float32Array {
  const out = new Float32Array(logits.length);
  for (let row = 0; row < logits.length; row += C) {
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < C; c++) max = Math.max(max, logits[row + c]!);
    let sum = 0;
    for (let c = 0; c < C; c++) sum += out[row + c] = Math.exp(logits[row + c]! - max);
    for (let c = 0; c < C; c++) out[row + c]! /= sum;
  }
  return out;
}

/**
 * Median of each class's posterior over a centred window of `width` frames (odd; shrunk at the edges). Width 1
 * returns the input.
 */
export function medianFilter(post: Float32Array, C: number, width: number): Float32Array {
  if (width <= 1) return post;
  const T = post.length / C;
  const half = Math.floor(width / 2);
  const out = new Float32Array(post.length);
  const window: number[] = [];
  for (let t = 0; t < T; t++) {
    const a = Math.max(0, t - half);
    const b = Math.min(T - 1, t + half);
    for (let c = 0; c < C; c++) {
      window.length = 0;
      for (let s = a; s <= b; s++) window.push(post[s * C + c]!);
      window.sort((p, q) => p - q);
      const n = window.length;
      out[t * C + c] = n % 2 === 1 ? window[(n - 1) / 2]! : (window[n / 2 - 1]! + window[n / 2]!) / 2;
    }
  }
  return out;
}

/** Arg-max class per frame of `[T, C]` values (ties to the lowest class). */
export function argmaxRows(values: Float32Array, C: number): Int32Array {
  const T = values.length / C;
  const out = new Int32Array(T);
  for (let t = 0; t < T; t++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (values[t * C + c]! > values[t * C + best]!) best = c;
    out[t] = best;
  }
  return out;
}

/** A run of one class over frames [start, end). */
export interface FrameRun {
  readonly label: number;
  readonly start: number;
  readonly end: number;
}

function toRuns(labels: ArrayLike<number>): FrameRun[] {
  const out: FrameRun[] = [];
  for (let t = 0; t < labels.length; t++) {
    const last = out.at(-1);
    if (last !== undefined && last.label === labels[t]) out[out.length - 1] = { ...last, end: t + 1 };
    else out.push({ label: labels[t]!, start: t, end: t + 1 });
  }
  return out;
}

/**
 * Runs of equal labels with every run shorter than `minFrames` absorbed: repeatedly the shortest such run takes
 * the label of its longer neighbour (the earlier one on a tie) and merges with it, until none is left (or only
 * one run remains).
 */
export function smoothRuns(labels: ArrayLike<number>, minFrames: number): FrameRun[] {
  let runs = toRuns(labels);
  for (;;) {
    if (runs.length <= 1) return runs;
    let worst = -1;
    for (let i = 0; i < runs.length; i++) {
      const n = runs[i]!.end - runs[i]!.start;
      if (n < minFrames && (worst < 0 || n < runs[worst]!.end - runs[worst]!.start)) worst = i;
    }
    if (worst < 0) return runs;
    const prev = runs[worst - 1];
    const next = runs[worst + 1];
    const into =
      next === undefined || (prev !== undefined && prev.end - prev.start >= next.end - next.start) ? prev! : next;
    const labelsNow = runs.flatMap((r, i) =>
      Array.from({ length: r.end - r.start }, () => (i === worst ? into.label : r.label)),
    );
    runs = toRuns(labelsNow);
  }
}

/** Seconds of the boundary before frame k: half a step before its centre (one formula, so neighbours agree). */
export const boundary = (k: number): number => (k * 10 + 7.5) / 1000;

/** A predicted segment in seconds, with the mean posterior of its label over its frames. */
export interface Segment {
  readonly start: number;
  readonly end: number;
  readonly label: string;
  readonly confidence: number;
  /** Frames [first, last + 1). */
  readonly frames: readonly [number, number];
}

/**
 * Segments from runs: a run of frames [a, b) spans from half a step before frame a's centre to half a step
 * after frame b − 1's centre.
 */
export function segmentsOf(
  runs: readonly FrameRun[],
  post: Float32Array,
  C: number,
  labels: readonly string[],
): Segment[] {
  return runs.map((r) => {
    let sum = 0;
    for (let t = r.start; t < r.end; t++) sum += post[t * C + r.label]!;
    return {
      start: boundary(r.start),
      end: boundary(r.end),
      label: labels[r.label]!,
      confidence: sum / (r.end - r.start),
      frames: [r.start, r.end] as const,
    };
  });
}

/** The `k` most probable classes of frame t, most probable first. */
export function topK(post: Float32Array, C: number, t: number, k: number): { label: number; p: number }[] {
  return Array.from({ length: C }, (_, c) => ({ label: c, p: post[t * C + c]! }))
    .sort((a, b) => b.p - a.p || a.label - b.label)
    .slice(0, k);
}
