/**
 * Data for both tasks, from the embedded corpus of @recurrent/speech: the seeded split by utterance, CMVN
 * fitted on the training utterances actually used, training chunks, subsets for the data-fraction curve, and
 * the strictly causal inputs of next-frame prediction.
 */
import type { SequenceExample } from "@recurrent/core";
import {
  Cmvn,
  type FloatTensor,
  MFCC_SAMPLE_RATE,
  mfcc,
  NUM_CLASSES,
  NUM_FEATURES,
  NUM_STATIC,
  resample,
  type SpeechCorpus,
  type Split,
  seededRandom,
  shuffleInPlace,
} from "@recurrent/speech";
import { loadCorpus, readWavFile } from "@recurrent/speech/node";
import { CliError } from "./cli/errors.js";

export { NUM_CLASSES, NUM_FEATURES, NUM_STATIC };

/** Seed of the train/valid/test split (fixed, so every run and the shipped model see the same test set). */
export const SPLIT_SEED = 1;

/** The corpus and its split. */
export interface CorpusData {
  readonly corpus: SpeechCorpus;
  readonly split: Split;
}

let cached: Promise<SpeechCorpus> | undefined;

/** Loads the embedded corpus once per process and splits it by utterance (80 / 10 / 10). */
export async function loadData(): Promise<CorpusData> {
  cached ??= loadCorpus();
  const corpus = await cached;
  return { corpus, split: corpus.split({ seed: SPLIT_SEED }) };
}

/**
 * A seeded subset of `ids` holding `fraction` of them (at least one), for the accuracy-vs-data curve. Subsets of
 * one seed are nested: the 10 % subset is inside the 25 % one.
 */
export function subset(ids: readonly string[], fraction: number, seed: number): string[] {
  const order = shuffleInPlace([...ids], seededRandom(seed * 7919 + 17));
  return order.slice(0, Math.max(1, Math.round(ids.length * fraction))).sort();
}

/** Global CMVN statistics of the given utterances' 39-dim frames (the first 13 dims are the statics'). */
export function fitCmvn(data: CorpusData, ids: readonly string[]): Cmvn {
  return data.corpus.fitCmvn(ids);
}

/**
 * The causal input of next-frame prediction: the 13 static coefficients (log energy, c1..c12) of each frame.
 * Frame t's statics depend only on samples up to 160t + 400, whereas its Δ/ΔΔ (dims 13..38) reach 4 frames
 * ahead; feeding those would let a model read the frame it is asked to predict.
 * @param frames `[T, 39]` MFCC-39, normalized or not. @returns `[T, 13]`.
 * @throws CliError `BAD_MODEL` for frames that are not `[T, 39]`.
 */
export function causalStatics(frames: FloatTensor): FloatTensor {
  const [T, D] = frames.shape;
  if (frames.shape.length !== 2 || T === undefined || D !== NUM_FEATURES) {
    throw new CliError("BAD_MODEL", `causalStatics: expected frames [T, ${NUM_FEATURES}], got [${frames.shape}]`);
  }
  const out = new Float32Array(T * NUM_STATIC);
  for (let t = 0; t < T; t++) {
    out.set(frames.data.subarray(t * NUM_FEATURES, t * NUM_FEATURES + NUM_STATIC), t * NUM_STATIC);
  }
  return { shape: [T, NUM_STATIC], data: out };
}

/** The CMVN of the 13 statics, taken from 39-dim statistics. */
export function staticCmvn(cmvn: Cmvn): Cmvn {
  return new Cmvn(cmvn.mean.slice(0, NUM_STATIC), cmvn.std.slice(0, NUM_STATIC), cmvn.frames);
}

/** One utterance for frame classification: normalized MFCC-39 and its frame labels. */
export function classifyExample(data: CorpusData, cmvn: Cmvn, id: string): SequenceExample & { y: Int32Array } {
  return {
    x: cmvn.apply(data.corpus.features(id)).data,
    y: Int32Array.from(data.corpus.labels(id).data),
  };
}

/**
 * One utterance for next-frame prediction: input frames 0..T−1−k and target frames k..T−1 (statics normalized
 * with the 13-dim `cmvn`). Utterances of k frames or fewer give nothing.
 */
export function nextFrameExample(
  data: CorpusData,
  cmvn: Cmvn,
  id: string,
  horizon: number,
): (SequenceExample & { y: Float32Array }) | undefined {
  const s = cmvn.apply(causalStatics(data.corpus.features(id)));
  const T = s.shape[0]!;
  if (T <= horizon) return undefined;
  return {
    x: s.data.slice(0, (T - horizon) * NUM_STATIC),
    y: s.data.slice(horizon * NUM_STATIC),
  };
}

/**
 * Cuts examples into pieces of at most `length` frames (training only: shorter, equal-length pieces pad less
 * and give more optimizer steps per epoch; evaluation always runs whole utterances).
 */
export function chunk<E extends SequenceExample>(
  examples: readonly E[],
  length: number,
  inputDim: number,
  targetDim: number,
): SequenceExample[] {
  const out: SequenceExample[] = [];
  for (const e of examples) {
    const T = e.x.length / inputDim;
    for (let s = 0; s < T; s += length) {
      const end = Math.min(T, s + length);
      out.push({ x: e.x.slice(s * inputDim, end * inputDim), y: e.y.slice(s * targetDim, end * targetDim) });
    }
  }
  return out;
}

/** A WAV file's MFCC-39 frames and facts about it. */
export interface WavFeatures {
  readonly frames: FloatTensor;
  /** The file's own rate (the frames are computed at 16 kHz). */
  readonly sampleRate: number;
  /** The file's channel count (the samples are mixed down to mono by averaging). */
  readonly channels: number;
  readonly seconds: number;
  /** The audio at 16 kHz, mono. */
  readonly samples: Float32Array;
}

/**
 * Reads a WAV file (any rate: resampled to 16 kHz; any channel count: mixed down to mono) and computes its
 * MFCC-39 frames.
 * @throws CliError `FILE` naming the file when it cannot be read, is not a WAV file, or is shorter than one frame.
 */
export async function readWavFeatures(path: string): Promise<WavFeatures> {
  let wav: Awaited<ReturnType<typeof readWavFile>>;
  try {
    wav = await readWavFile(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === "ENOENT" ? "no such file" : e.code === "EISDIR" ? "is a directory" : e.message;
    throw new CliError("FILE", `${path}: cannot read WAV: ${why}`);
  }
  if (wav.samples.length / wav.sampleRate < 0.025) {
    throw new CliError(
      "FILE",
      `${path}: ${wav.samples.length} samples at ${wav.sampleRate} Hz is shorter than one 25 ms frame`,
    );
  }
  const samples =
    wav.sampleRate === MFCC_SAMPLE_RATE ? wav.samples : resample(wav.samples, wav.sampleRate, MFCC_SAMPLE_RATE);
  return {
    frames: mfcc(samples),
    sampleRate: wav.sampleRate,
    channels: wav.channels,
    seconds: samples.length / MFCC_SAMPLE_RATE,
    samples,
  };
}
