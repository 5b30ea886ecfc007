/**
 * Batch MFCC-39 (see mfcc-recipe.ts for the exact recipe): whole utterance in, `[T, 39]` frames out.
 */
import { SpeechError } from "./errors.js";
import {
  deltaInto,
  FRAME_STEP,
  frameCount,
  INPUT_SCALE,
  MFCC_SAMPLE_RATE,
  NUM_FEATURES,
  NUM_STATIC,
  PRE_EMPHASIS,
  StaticFrameKernel,
} from "./mfcc-recipe.js";
import { resample } from "./resample.js";
import type { FloatTensor } from "./tensor.js";

let sharedKernel: StaticFrameKernel | undefined;
/** The shared frame kernel (tables are built once, on first use). */
export function staticKernel(): StaticFrameKernel {
  sharedKernel ??= new StaticFrameKernel();
  return sharedKernel;
}

/** @throws SpeechError `MFCC_BAD_INPUT` naming the first non-finite sample. */
export function checkFinite(samples: Float32Array, where: string): void {
  for (let i = 0; i < samples.length; i++) {
    if (!Number.isFinite(samples[i]!)) {
      throw new SpeechError("MFCC_BAD_INPUT", `${where}: sample ${i} is ${samples[i]}, expected a finite number`);
    }
  }
}

/**
 * The 13 static coefficients (log energy, c1..c12) of 16 kHz mono audio.
 * @param samples `[N]` in [-1, 1] at 16 kHz.
 * @returns `[T, 13]` with T = 1 + ⌊(N − 400)/160⌋ (0 when N < 400).
 * @throws SpeechError `MFCC_BAD_INPUT` for NaN/∞ samples.
 */
export function staticMfcc(samples: Float32Array): FloatTensor {
  checkFinite(samples, "staticMfcc");
  const emphasized = new Float64Array(samples.length);
  let prev = 0;
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i]! * INPUT_SCALE;
    emphasized[i] = x - PRE_EMPHASIS * prev;
    prev = x;
  }
  const frames = frameCount(samples.length);
  const out = new Float32Array(frames * NUM_STATIC);
  const kernel = staticKernel();
  for (let t = 0; t < frames; t++) kernel.compute(emphasized, t * FRAME_STEP, out, t * NUM_STATIC);
  return { shape: [frames, NUM_STATIC], data: out };
}

/**
 * Appends Δ and ΔΔ (±2-frame regression, edge frames repeated) to static coefficients.
 * @param statics `[T, 13]`.
 * @returns `[T, 39]` = [statics, Δ, ΔΔ].
 * @throws SpeechError `MFCC_BAD_INPUT` when `statics` is not `[T, 13]`.
 */
export function addDeltas(statics: FloatTensor): FloatTensor {
  const [frames, width] = statics.shape;
  if (statics.shape.length !== 2 || width !== NUM_STATIC || frames === undefined) {
    throw new SpeechError(
      "MFCC_BAD_INPUT",
      `addDeltas: expected statics [T, ${NUM_STATIC}], got [${statics.shape.join(", ")}]`,
    );
  }
  if (statics.data.length !== frames * NUM_STATIC) {
    throw new SpeechError(
      "MFCC_BAD_INPUT",
      `addDeltas: shape [${frames}, 13] needs ${frames * 13} values, got ${statics.data.length}`,
    );
  }
  const out = new Float32Array(frames * NUM_FEATURES);
  const last = frames - 1;
  for (let t = 0; t < frames; t++)
    out.set(statics.data.subarray(t * NUM_STATIC, (t + 1) * NUM_STATIC), t * NUM_FEATURES);
  for (let t = 0; t < frames; t++)
    deltaInto(statics.data, NUM_STATIC, 0, NUM_STATIC, t, last, out, t * NUM_FEATURES + NUM_STATIC);
  for (let t = 0; t < frames; t++) {
    deltaInto(out, NUM_FEATURES, NUM_STATIC, NUM_STATIC, t, last, out, t * NUM_FEATURES + 2 * NUM_STATIC);
  }
  return { shape: [frames, NUM_FEATURES], data: out };
}

/**
 * MFCC-39 of 16 kHz mono audio: `addDeltas(staticMfcc(samples))`.
 * @param samples `[N]` in [-1, 1] at 16 kHz.
 * @returns `[T, 39]`.
 * @throws SpeechError `MFCC_BAD_INPUT` for NaN/∞ samples.
 */
export function mfcc(samples: Float32Array): FloatTensor {
  return addDeltas(staticMfcc(samples));
}

/**
 * MFCC-39 of audio at any rate: resamples to 16 kHz first (see `resample`) when needed.
 * @param audio `{ samples: [N], sampleRate }`, e.g. the result of `readWav`.
 * @returns `[T, 39]`.
 * @throws SpeechError `MFCC_BAD_INPUT` for NaN/∞ samples, `RESAMPLE_BAD_RATE` for a bad rate.
 */
export function mfccFromAudio(audio: { readonly samples: Float32Array; readonly sampleRate: number }): FloatTensor {
  const samples =
    audio.sampleRate === MFCC_SAMPLE_RATE ? audio.samples : resample(audio.samples, audio.sampleRate, MFCC_SAMPLE_RATE);
  return mfcc(samples);
}
