/**
 * Seeded noise mixing: makes clean recordings hard for a VAD (the fine-tuning data's augmentation; the official
 * recipe uses audiomentations, including Gaussian noise).
 */
import { createRng } from "@recurrent/core";
import { SileroError } from "./errors.js";

/** Options of {@link addNoise}. */
export interface NoiseOptions {
  /** Signal-to-noise ratio in dB against the RMS of the whole recording (silences included). */
  readonly snrDb: number;
  /** Seed of the noise; the same seed gives the same samples on every machine. */
  readonly seed: number;
  /**
   * Colour: `white` (flat spectrum) or `brown` (integrated white noise, energy at low frequencies like hum and
   * rumble; leaky so it stays bounded). Default `white`.
   */
  readonly colour?: "white" | "brown";
}

/**
 * A copy of `samples` with seeded Gaussian noise added at the given SNR.
 * @throws SileroError BAD_OPTIONS when `snrDb` is not finite; BAD_INPUT when the recording is silent (no SNR).
 */
export function addNoise(samples: Float32Array, options: NoiseOptions): Float32Array {
  if (!Number.isFinite(options.snrDb)) {
    throw new SileroError("BAD_OPTIONS", `addNoise: snrDb must be a finite number of dB, got ${options.snrDb}`);
  }
  const rng = createRng(options.seed, "silero.noise");
  const noise = new Float64Array(samples.length);
  let level = 0;
  for (let i = 0; i < noise.length; i++) {
    const white = rng.normal();
    level = options.colour === "brown" ? 0.98 * level + white : white;
    noise[i] = level;
  }
  const rms = (x: ArrayLike<number>) => {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
    return Math.sqrt(s / Math.max(1, x.length));
  };
  const signal = rms(samples);
  if (signal === 0) throw new SileroError("BAD_INPUT", "addNoise: the recording is silent, so it has no SNR");
  const gain = signal / 10 ** (options.snrDb / 20) / rms(noise);
  return Float32Array.from(samples, (v, i) => v + gain * noise[i]!);
}
