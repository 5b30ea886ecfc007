/**
 * Fine-tuning Silero VAD with the official recipe (`tuning/tune.py`): the encoder stays frozen and only the decoder
 * (LSTM(128) → dropout 0.1 → ReLU → dense(1) sigmoid) is trained, with full BPTT over clips of at most 8 s, Adam at
 * lr 5e-4, and binary cross-entropy that weights non-speech chunks by 0.5.
 *
 * Since the encoder is frozen and reads each 576-sample window on its own, its 128 features per 32 ms chunk are
 * computed once (all chunks of a file in one batched run) and the decoder trains on `[chunks, B, 128]` sequences.
 */
import {
  type Backend,
  type Dataset,
  type Executable,
  type FitEvent,
  fit,
  type History,
  sequenceDataset,
  type TrainConfig,
  type TrainingBackend,
  type Weights,
} from "@recurrent/core";
import { CHUNK_SAMPLES, CONTEXT_SAMPLES, SAMPLE_RATE, UNITS, WINDOW_SAMPLES } from "./constants.js";
import { SileroError } from "./errors.js";
import { SILERO_IDS, sileroDecoderGraph, sileroEncoderGraph } from "./graph.js";
import { chunkCount } from "./labels.js";
import { checkSampleRate } from "./vad.js";

/** The longest training clip of the recipe: 8 s = 250 chunks. */
export const MAX_CLIP_CHUNKS = (8 * SAMPLE_RATE) / CHUNK_SAMPLES;

/** The official recipe's training configuration (Adam 5e-4, BCE with non-speech weight 0.5). */
export const SILERO_TRAIN_CONFIG: TrainConfig = {
  loss: { kind: "binaryCrossEntropy", classWeights: [0.5, 1] },
  optimizer: { kind: "adam", lr: 5e-4 },
};

const DECODER_PREFIXES = [`${SILERO_IDS.lstm}/`, `${SILERO_IDS.head}/`];
const isDecoderKey = (key: string) => DECODER_PREFIXES.some((p) => key.startsWith(p));

/** The decoder's weights (`lstm_cell/*`, `final_conv/*`) out of the full model's. */
export function decoderWeights(weights: Weights): Weights {
  return Object.fromEntries(Object.entries(weights).filter(([k]) => isDecoderKey(k)));
}

/** The encoder's weights (`stft_conv`, `conv1..4`) out of the full model's. */
export function encoderWeights(weights: Weights): Weights {
  return Object.fromEntries(Object.entries(weights).filter(([k]) => !isDecoderKey(k)));
}

/**
 * The full model's weights with the decoder's replaced.
 * @throws SileroError BAD_WEIGHTS when `decoder` holds a key that is not a decoder weight of the full model.
 */
export function withDecoderWeights(full: Weights, decoder: Weights): Weights {
  for (const key of Object.keys(decoder)) {
    if (!isDecoderKey(key) || !Object.hasOwn(full, key)) {
      throw new SileroError("BAD_WEIGHTS", `withDecoderWeights: "${key}" is not a decoder weight of the full model`);
    }
  }
  return { ...full, ...decoder };
}

/**
 * The frozen encoder's features of a whole recording: one 128-vector per 512-sample chunk (the last one
 * zero-padded), each read with the 64 samples before it as context (zeros before the start), exactly as a stream
 * sees them. Chunks are batched `batch` at a time.
 * @param encoder {@link sileroEncoderGraph} compiled with the encoder's weights (see {@link compileEncoder}).
 * @returns `[chunks · 128]`, chunk-major.
 * @throws SileroError BAD_SAMPLE_RATE unless `sampleRate` is 16000.
 */
export async function sileroFeatures(
  encoder: Executable,
  samples: Float32Array,
  sampleRate: number = SAMPLE_RATE,
  batch = 256,
): Promise<Float32Array> {
  checkSampleRate(sampleRate);
  const chunks = chunkCount(samples.length);
  const out = new Float32Array(chunks * UNITS);
  for (let first = 0; first < chunks; first += batch) {
    const n = Math.min(batch, chunks - first);
    // Time-major [576, n, 1]: window j of chunk (first + j) starts 64 samples before the chunk.
    const data = new Float32Array(WINDOW_SAMPLES * n);
    for (let j = 0; j < n; j++) {
      const start = (first + j) * CHUNK_SAMPLES - CONTEXT_SAMPLES;
      for (let t = Math.max(0, -start); t < WINDOW_SAMPLES && start + t < samples.length; t++) {
        data[t * n + j] = samples[start + t]!;
      }
    }
    const res = await encoder.run({ [SILERO_IDS.input]: { shape: [WINDOW_SAMPLES, n, 1], data } });
    out.set(res[SILERO_IDS.encoder]!.data, first * UNITS); // [1, n, 128]
  }
  return out;
}

/** Compiles the frozen encoder of a full model's weights. */
export async function compileEncoder(backend: Backend, weights: Weights): Promise<Executable> {
  return backend.compile(sileroEncoderGraph(), encoderWeights(weights));
}

/** One labelled recording as the decoder sees it. */
export interface FeatureClip {
  /** Encoder features `[chunks · 128]` ({@link sileroFeatures}). */
  readonly features: Float32Array;
  /** One 0/1 label per chunk (1 = speech; {@link chunkLabels}). */
  readonly labels: Float32Array;
}

/**
 * Cuts clips longer than 8 s into consecutive pieces of at most {@link MAX_CLIP_CHUNKS} chunks (each piece starts
 * from a zero state, as every clip of the recipe does).
 * @throws SileroError BAD_INPUT naming the clip when its features and labels disagree on the chunk count.
 */
export function splitClips(clips: readonly FeatureClip[], maxChunks = MAX_CLIP_CHUNKS): FeatureClip[] {
  const out: FeatureClip[] = [];
  clips.forEach((clip, i) => {
    const chunks = clip.labels.length;
    if (clip.features.length !== chunks * UNITS) {
      throw new SileroError(
        "BAD_INPUT",
        `clip ${i}: ${clip.features.length} feature values for ${chunks} labels (expected ${chunks} × ${UNITS})`,
      );
    }
    for (let s = 0; s < chunks; s += maxChunks) {
      const e = Math.min(chunks, s + maxChunks);
      out.push({ features: clip.features.subarray(s * UNITS, e * UNITS), labels: clip.labels.subarray(s, e) });
    }
  });
  return out;
}

/** The decoder's dataset: `features [chunks, B, 128]` with `lengths`, targets `[chunks, B, 1]`. */
export function decoderDataset(clips: readonly FeatureClip[]): Dataset {
  return sequenceDataset(
    clips.map((c) => ({ x: c.features, y: c.labels })),
    { input: SILERO_IDS.features, lengths: SILERO_IDS.lengths, features: UNITS, targets: 1 },
  );
}

/**
 * Every chunk's probability under a decoder: the same numbers as streaming the full model, since the encoder
 * reads each window alone and the decoder's LSTM carries the state from chunk to chunk.
 * @param decoder {@link sileroDecoderGraph} compiled with decoder weights.
 */
export async function decoderProbabilities(decoder: Executable, features: Float32Array): Promise<Float32Array> {
  const chunks = features.length / UNITS;
  const out = await decoder.run({
    [SILERO_IDS.features]: { shape: [chunks, 1, UNITS], data: features },
    [SILERO_IDS.lengths]: Int32Array.of(chunks),
  });
  return Float32Array.from(out[SILERO_IDS.head]!.data);
}

/** Options of {@link fineTuneDecoder}. */
export interface FineTuneOptions {
  readonly epochs: number;
  /** Clips per step; default 8. */
  readonly batchSize?: number;
  /** Seed of shuffling and dropout; default 0. */
  readonly seed?: number;
  /** Held-out clips evaluated after every epoch (validation loss). */
  readonly validation?: readonly FeatureClip[];
  /** Overrides of {@link SILERO_TRAIN_CONFIG} (e.g. another learning rate). */
  readonly config?: Partial<TrainConfig>;
  readonly onEvent?: (event: FitEvent) => void | Promise<void>;
  readonly signal?: AbortSignal;
}

/**
 * Trains the decoder with the recipe (frozen encoder, full BPTT over clips ≤ 8 s, Adam 5e-4, BCE with non-speech
 * weight 0.5) and returns the full model's weights with the trained decoder.
 * Note: the loss is the mean over valid chunks; the recipe divides by B·T_max (padding included), which is the
 * same for equal-length clips and only rescales the step otherwise.
 * @param backend a training backend (backend-js, backend-tfjs).
 * @param weights the full model's weights to start from.
 * @param clips labelled encoder features of the training recordings (split into ≤ 8 s pieces here).
 * @throws whatever `fit` throws (TrainError, TrainingDivergedError).
 */
export async function fineTuneDecoder(
  backend: TrainingBackend,
  weights: Weights,
  clips: readonly FeatureClip[],
  options: FineTuneOptions,
): Promise<{ weights: Weights; history: History }> {
  const config: TrainConfig = { ...SILERO_TRAIN_CONFIG, seed: options.seed ?? 0, ...options.config };
  const trainer = await backend.trainer(sileroDecoderGraph(), decoderWeights(weights), config);
  try {
    const history = await fit(trainer, decoderDataset(splitClips(clips)), {
      epochs: options.epochs,
      batchSize: options.batchSize ?? 8,
      seed: options.seed ?? 0,
      ...(options.validation ? { validation: decoderDataset(splitClips(options.validation)) } : {}),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { weights: withDecoderWeights(weights, trainer.weights()), history };
  } finally {
    await trainer.dispose();
  }
}
