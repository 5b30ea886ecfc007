/**
 * Band-limited resampling by windowed-sinc interpolation (Kaiser window), for any pair of rates.
 * Each output sample y(t) = Σ_k x[k]·fc·sinc(fc·(t − k))·kaiser((t − k)·fc / Z), where t is the output
 * instant in input samples, fc = rolloff·min(1, to/from) is the cutoff as a fraction of the input Nyquist
 * (so downsampling low-passes below the new Nyquist first) and Z the number of zero crossings each side.
 * The kernel is tabulated at 1/1024 of a zero crossing and linearly interpolated (error < 1e-6 per tap).
 */
import { SpeechError } from "./errors.js";

/** Filter design knobs; the defaults give > 80 dB stop-band attenuation. */
export interface ResampleOptions {
  /** Zero crossings of the sinc on each side (filter half-length in output-rate periods). Default 32. */
  readonly zeroCrossings?: number;
  /** Cutoff as a fraction of the lower Nyquist rate, < 1 to leave room for the transition band. Default 0.95. */
  readonly rolloff?: number;
  /** Kaiser window β. Default 8.6. */
  readonly beta?: number;
}

/**
 * The largest ratio between the two rates that {@link resample} accepts, either way. Real audio spans 8 kHz to
 * 768 kHz (48× of 16 kHz); a header that declares 1 Hz would otherwise make a 16,000× longer output, gigabytes
 * from a small file.
 */
export const MAX_RESAMPLE_RATIO = 64;

const TABLE_STEPS = 1024;
const tables = new Map<string, Float64Array>();

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

function kernelTable(zeroCrossings: number, beta: number): Float64Array {
  const key = `${zeroCrossings}/${beta}`;
  const cached = tables.get(key);
  if (cached) return cached;
  const n = zeroCrossings * TABLE_STEPS;
  const table = new Float64Array(n + 2); // one extra zero so interpolation at the last step stays in range
  const norm = besselI0(beta);
  for (let i = 0; i <= n; i++) {
    const u = i / TABLE_STEPS;
    const r = u / zeroCrossings;
    const sinc = i === 0 ? 1 : Math.sin(Math.PI * u) / (Math.PI * u);
    table[i] = (sinc * besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r)))) / norm;
  }
  tables.set(key, table);
  return table;
}

/**
 * Resamples mono audio from `fromRate` to `toRate` Hz. Samples outside the input are taken as zero, so the
 * first and last ~Z output samples ramp in/out.
 * @param samples `[N]` input samples.
 * @returns `[ceil(N·toRate/fromRate)]` samples; a copy when the rates are equal.
 * @throws SpeechError `RESAMPLE_BAD_RATE` when a rate is not a positive finite number or an option is out of range;
 *   `RESAMPLE_RATIO` when one rate is more than {@link MAX_RESAMPLE_RATIO} times the other.
 */
export function resample(
  samples: Float32Array,
  fromRate: number,
  toRate: number,
  options: ResampleOptions = {},
): Float32Array {
  for (const [name, rate] of [
    ["fromRate", fromRate],
    ["toRate", toRate],
  ] as const) {
    if (!Number.isFinite(rate) || rate <= 0) {
      throw new SpeechError("RESAMPLE_BAD_RATE", `resample: ${name} must be a positive number of Hz, got ${rate}`);
    }
  }
  if (Math.max(toRate / fromRate, fromRate / toRate) > MAX_RESAMPLE_RATIO) {
    throw new SpeechError(
      "RESAMPLE_RATIO",
      `resample: ${fromRate} Hz → ${toRate} Hz is a ratio over ${MAX_RESAMPLE_RATIO}; ` +
        "is the file's declared sample rate right? (real audio is 8 kHz to 768 kHz)",
    );
  }
  const zeroCrossings = options.zeroCrossings ?? 32;
  const rolloff = options.rolloff ?? 0.95;
  const beta = options.beta ?? 8.6;
  if (!Number.isInteger(zeroCrossings) || zeroCrossings < 1 || !(rolloff > 0 && rolloff <= 1) || !(beta >= 0)) {
    throw new SpeechError(
      "RESAMPLE_BAD_RATE",
      `resample: options need integer zeroCrossings >= 1, 0 < rolloff <= 1, beta >= 0; got ${zeroCrossings}, ${rolloff}, ${beta}`,
    );
  }
  if (fromRate === toRate) return samples.slice();
  const table = kernelTable(zeroCrossings, beta);
  const fc = rolloff * Math.min(1, toRate / fromRate);
  const halfWidth = zeroCrossings / fc; // in input samples
  const n = samples.length;
  const outLength = Math.ceil((n * toRate) / fromRate);
  const out = new Float32Array(outLength);
  const step = fromRate / toRate;
  const last = zeroCrossings * TABLE_STEPS;
  for (let m = 0; m < outLength; m++) {
    const t = m * step;
    const k0 = Math.max(0, Math.ceil(t - halfWidth));
    const k1 = Math.min(n - 1, Math.floor(t + halfWidth));
    let acc = 0;
    for (let k = k0; k <= k1; k++) {
      const pos = Math.abs(t - k) * fc * TABLE_STEPS;
      const i = Math.floor(pos);
      if (i >= last) continue;
      const frac = pos - i;
      acc += samples[k]! * (table[i]! + frac * (table[i + 1]! - table[i]!));
    }
    out[m] = acc * fc;
  }
  return out;
}
