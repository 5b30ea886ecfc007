/**
 * The one MFCC recipe of this package (python_speech_features conventions, Hamming window), and the
 * per-frame computation shared by the batch and streaming front ends so that both give identical numbers.
 *
 * 16 kHz input scaled to the int16 range (×32768); pre-emphasis y[n] = x[n] − 0.97·x[n−1] over the whole
 * signal (y[0] = x[0]); 400-sample (25 ms) frames every 160 samples (10 ms), only whole frames
 * (T = 1 + ⌊(N − 400)/160⌋, 0 when N < 400); symmetric Hamming window 0.54 − 0.46·cos(2πn/399); 512-point
 * FFT, power |X|²/512 on bins 0..256; 26 triangular HTK-mel filters (2595·log10(1 + f/700)) from 0 to 8 kHz on
 * FFT bins ⌊513·f/16000⌋; natural log with a floor of 1.0 (the power of ±1 LSB noise, so digital silence does
 * not give −∞ or −36); orthonormal DCT-II keeping 13; lifter 1 + 11·sin(πn/22); c0 replaced by the log of the
 * frame energy Σ_k |X_k|²/512 (same floor). Δ_t = Σ_{n=1..2} n·(c_{t+n} − c_{t−n}) / 10 with edge frames
 * repeated; ΔΔ = Δ of Δ. A 39-dim frame is [logE, c1..c12, Δ(13), ΔΔ(13)].
 */
import { PowerSpectrum } from "./fft.js";

/** Sample rate the recipe is defined at. */
export const MFCC_SAMPLE_RATE = 16_000;
/** Frame length in samples (25 ms). */
export const FRAME_LENGTH = 400;
/** Frame step in samples (10 ms). */
export const FRAME_STEP = 160;
/** Static coefficients per frame (log energy + c1..c12). */
export const NUM_STATIC = 13;
/** Static + Δ + ΔΔ. */
export const NUM_FEATURES = 39;
/** Frames of look-ahead the Δ regression needs (ΔΔ needs twice this). */
export const DELTA_WINDOW = 2;

export const PRE_EMPHASIS = 0.97;
export const NFFT = 512;
export const NUM_MEL = 26;
export const LIFTER = 22;
/** Floor applied to mel energies and frame energy before the log (int16-scale power). */
export const LOG_FLOOR = 1.0;
/** Input samples in [-1, 1] are multiplied by this before anything else (the int16 scale). */
export const INPUT_SCALE = 32768;

/**
 * The recipe as plain JSON, every parameter above by name: what a consumer outside this package (e.g. an exported
 * ONNX file's `recurrent.features` metadata) needs to compute the same frames.
 */
export const MFCC_RECIPE = {
  name: "mfcc-39",
  conventions: "python_speech_features",
  sampleRate: MFCC_SAMPLE_RATE,
  inputScale: INPUT_SCALE,
  preEmphasis: PRE_EMPHASIS,
  frameLength: FRAME_LENGTH,
  frameStep: FRAME_STEP,
  window: "hamming (symmetric)",
  nfft: NFFT,
  power: "|X|^2 / nfft",
  melFilters: NUM_MEL,
  melScale: "htk",
  lowHz: 0,
  highHz: MFCC_SAMPLE_RATE / 2,
  logFloor: LOG_FLOOR,
  dct: "orthonormal DCT-II",
  cepstra: NUM_STATIC,
  lifter: LIFTER,
  c0: "log frame energy",
  deltaWindow: DELTA_WINDOW,
  deltaEdges: "repeat edge frames",
  layout: "[logE, c1..c12, delta(13), delta-delta(13)]",
  dim: NUM_FEATURES,
} as const;

/** Number of whole frames in `n` samples. */
export function frameCount(n: number): number {
  return n < FRAME_LENGTH ? 0 : 1 + Math.floor((n - FRAME_LENGTH) / FRAME_STEP);
}

const hzToMel = (hz: number): number => 2595 * Math.log10(1 + hz / 700);
const melToHz = (mel: number): number => 700 * (10 ** (mel / 2595) - 1);

/** `[NUM_MEL][NFFT/2 + 1]` triangular filters, python_speech_features' `get_filterbanks`. */
export function melFilterbank(): Float64Array[] {
  const low = hzToMel(0);
  const high = hzToMel(MFCC_SAMPLE_RATE / 2);
  const bins: number[] = [];
  for (let i = 0; i < NUM_MEL + 2; i++) {
    const mel = low + ((high - low) * i) / (NUM_MEL + 1);
    bins.push(Math.floor(((NFFT + 1) * melToHz(mel)) / MFCC_SAMPLE_RATE));
  }
  const filters: Float64Array[] = [];
  for (let j = 0; j < NUM_MEL; j++) {
    const f = new Float64Array(NFFT / 2 + 1);
    const [a, b, c] = [bins[j]!, bins[j + 1]!, bins[j + 2]!];
    for (let i = a; i < b; i++) f[i] = (i - a) / (b - a);
    for (let i = b; i < c; i++) f[i] = (c - i) / (c - b);
    filters.push(f);
  }
  return filters;
}

/** Computes the 13 static coefficients of one pre-emphasized frame. Holds scratch buffers: not reentrant. */
export class StaticFrameKernel {
  private readonly window = new Float64Array(FRAME_LENGTH);
  private readonly frame = new Float64Array(FRAME_LENGTH);
  private readonly power = new Float64Array(NFFT / 2 + 1);
  private readonly logMel = new Float64Array(NUM_MEL);
  private readonly fft = new PowerSpectrum(NFFT);
  private readonly filters = melFilterbank();
  /** `[NUM_STATIC][NUM_MEL]` orthonormal DCT-II rows with the lifter folded in. */
  private readonly dct: Float64Array[] = [];

  constructor() {
    for (let n = 0; n < FRAME_LENGTH; n++) {
      this.window[n] = 0.54 - 0.46 * Math.cos((2 * Math.PI * n) / (FRAME_LENGTH - 1));
    }
    for (let k = 0; k < NUM_STATIC; k++) {
      const row = new Float64Array(NUM_MEL);
      const scale = Math.sqrt((k === 0 ? 1 : 2) / NUM_MEL);
      const lift = 1 + (LIFTER / 2) * Math.sin((Math.PI * k) / LIFTER);
      for (let m = 0; m < NUM_MEL; m++) row[m] = scale * lift * Math.cos((Math.PI * k * (2 * m + 1)) / (2 * NUM_MEL));
      this.dct.push(row);
    }
  }

  /**
   * Reads FRAME_LENGTH pre-emphasized samples of `signal` from `start` and writes the 13 statics to
   * `out[outAt .. outAt + 13)`.
   */
  compute(signal: Float64Array, start: number, out: Float32Array, outAt: number): void {
    const { frame, power, logMel } = this;
    for (let n = 0; n < FRAME_LENGTH; n++) frame[n] = signal[start + n]! * this.window[n]!;
    this.fft.compute(frame, power);
    let energy = 0;
    for (let k = 0; k < power.length; k++) energy += power[k]!;
    for (let m = 0; m < NUM_MEL; m++) {
      const f = this.filters[m]!;
      let e = 0;
      for (let k = 0; k < power.length; k++) e += f[k]! * power[k]!;
      logMel[m] = Math.log(Math.max(e, LOG_FLOOR));
    }
    out[outAt] = Math.log(Math.max(energy, LOG_FLOOR));
    for (let k = 1; k < NUM_STATIC; k++) {
      const row = this.dct[k]!;
      let c = 0;
      for (let m = 0; m < NUM_MEL; m++) c += row[m]! * logMel[m]!;
      out[outAt + k] = c;
    }
  }
}

/**
 * One regression step: `out[outAt + i] = Σ_{n=1..2} n·(src[row(t+n)] − src[row(t−n)]) / 10` for the `width`
 * columns starting at `col`, where `row(j)` clamps j into [0, last] (edge frames repeated). `src` rows have
 * `stride` values.
 */
export function deltaInto(
  src: Float32Array,
  stride: number,
  col: number,
  width: number,
  t: number,
  last: number,
  out: Float32Array,
  outAt: number,
): void {
  const row = (j: number) => Math.min(Math.max(j, 0), last) * stride + col;
  const p1 = row(t + 1);
  const m1 = row(t - 1);
  const p2 = row(t + 2);
  const m2 = row(t - 2);
  for (let i = 0; i < width; i++) {
    out[outAt + i] = (src[p1 + i]! - src[m1 + i]! + 2 * (src[p2 + i]! - src[m2 + i]!)) / 10;
  }
}
