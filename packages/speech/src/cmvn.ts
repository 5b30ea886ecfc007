/**
 * Cepstral mean and variance normalization: per utterance, or with global statistics that are fitted on the
 * training set and saved with the model (JSON or Float32Array), so inference normalizes exactly as training did.
 */
import { SpeechError } from "./errors.js";
import type { FloatTensor } from "./tensor.js";

/** Standard deviations below this are raised to it (constant features would divide by zero). */
export const STD_FLOOR = 1e-5;

/** The JSON form of {@link Cmvn}. */
export interface CmvnJSON {
  readonly kind: "cmvn";
  readonly dim: number;
  /** Frames the statistics were fitted on (informative). */
  readonly frames: number;
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

function dims(features: FloatTensor, where: string): [number, number] {
  const [frames, dim] = features.shape;
  if (
    features.shape.length !== 2 ||
    frames === undefined ||
    dim === undefined ||
    features.data.length !== frames * dim
  ) {
    throw new SpeechError(
      "CMVN_MISMATCH",
      `${where}: expected features [T, D] with T·D values, got shape [${features.shape.join(", ")}] and ${features.data.length} values`,
    );
  }
  return [frames, dim];
}

/** Exact per-dimension mean and population variance, merged across utterances (Chan et al.). */
export class CmvnAccumulator {
  private dim = -1;
  private count = 0;
  private mean = new Float64Array(0);
  private m2 = new Float64Array(0);

  /**
   * Adds one utterance.
   * @param features `[T, D]`; D must match earlier utterances.
   * @throws SpeechError `CMVN_MISMATCH` on a shape or dimension mismatch.
   */
  add(features: FloatTensor): this {
    const [frames, dim] = dims(features, "CmvnAccumulator.add");
    if (this.dim === -1) {
      this.dim = dim;
      this.mean = new Float64Array(dim);
      this.m2 = new Float64Array(dim);
    } else if (dim !== this.dim) {
      throw new SpeechError(
        "CMVN_MISMATCH",
        `CmvnAccumulator.add: features have ${dim} dims, earlier ones ${this.dim}`,
      );
    }
    if (frames === 0) return this;
    const x = features.data;
    for (let d = 0; d < dim; d++) {
      let sum = 0;
      for (let t = 0; t < frames; t++) sum += x[t * dim + d]!;
      const m = sum / frames;
      let m2 = 0;
      for (let t = 0; t < frames; t++) m2 += (x[t * dim + d]! - m) ** 2;
      const n = this.count + frames;
      const delta = m - this.mean[d]!;
      this.mean[d] = this.mean[d]! + (delta * frames) / n;
      this.m2[d] = this.m2[d]! + m2 + (delta * delta * this.count * frames) / n;
    }
    this.count += frames;
    return this;
  }

  /**
   * The fitted normalization.
   * @throws SpeechError `CMVN_BAD_STATS` when no frame was added.
   */
  finish(): Cmvn {
    if (this.count === 0) throw new SpeechError("CMVN_BAD_STATS", "CmvnAccumulator.finish: no frames were added");
    const std = Float32Array.from(this.m2, (m2) => Math.max(Math.sqrt(m2 / this.count), STD_FLOOR));
    return new Cmvn(Float32Array.from(this.mean), std, this.count);
  }
}

/** Global CMVN statistics: x' = (x − mean) / std per dimension. */
export class Cmvn {
  /**
   * @param mean `[D]`. @param std `[D]`, each > 0. @param frames frames fitted on (informative).
   * @throws SpeechError `CMVN_BAD_STATS` when lengths differ, values are not finite or a std is <= 0.
   */
  constructor(
    readonly mean: Float32Array,
    readonly std: Float32Array,
    readonly frames = 0,
  ) {
    if (mean.length !== std.length || mean.length === 0) {
      throw new SpeechError(
        "CMVN_BAD_STATS",
        `Cmvn: mean has ${mean.length} dims and std ${std.length}; expected equal, > 0`,
      );
    }
    for (let d = 0; d < mean.length; d++) {
      if (!Number.isFinite(mean[d]!) || !(std[d]! > 0) || !Number.isFinite(std[d]!)) {
        throw new SpeechError(
          "CMVN_BAD_STATS",
          `Cmvn: dim ${d} has mean ${mean[d]} and std ${std[d]}; expected finite, std > 0`,
        );
      }
    }
  }

  /** Feature dimension D. */
  get dim(): number {
    return this.mean.length;
  }

  /**
   * Fits global statistics on a set of utterances.
   * @param utterances each `[T, D]`.
   * @throws SpeechError `CMVN_MISMATCH` for mixed dims, `CMVN_BAD_STATS` when there are no frames.
   */
  static fit(utterances: Iterable<FloatTensor>): Cmvn {
    const acc = new CmvnAccumulator();
    for (const u of utterances) acc.add(u);
    return acc.finish();
  }

  /**
   * Normalizes `[T, D]` features (a new tensor).
   * @throws SpeechError `CMVN_MISMATCH` when D differs from the statistics'.
   */
  apply(features: FloatTensor): FloatTensor {
    const [frames, dim] = dims(features, "Cmvn.apply");
    if (dim !== this.dim) {
      throw new SpeechError("CMVN_MISMATCH", `Cmvn.apply: features have ${dim} dims, the statistics ${this.dim}`);
    }
    const out = new Float32Array(features.data.length);
    for (let t = 0; t < frames; t++) {
      for (let d = 0; d < dim; d++) out[t * dim + d] = (features.data[t * dim + d]! - this.mean[d]!) / this.std[d]!;
    }
    return { shape: [frames, dim], data: out };
  }

  /** A JSON-safe object (`JSON.stringify(cmvn)` uses it). */
  toJSON(): CmvnJSON {
    return { kind: "cmvn", dim: this.dim, frames: this.frames, mean: [...this.mean], std: [...this.std] };
  }

  /**
   * Reads {@link toJSON}'s output (or its parsed JSON text).
   * @throws SpeechError `CMVN_BAD_STATS` when the object is not a CMVN record.
   */
  static fromJSON(json: unknown): Cmvn {
    const j = json as Partial<CmvnJSON> | null;
    if (j === null || typeof j !== "object" || j.kind !== "cmvn" || !Array.isArray(j.mean) || !Array.isArray(j.std)) {
      throw new SpeechError(
        "CMVN_BAD_STATS",
        'Cmvn.fromJSON: expected { kind: "cmvn", mean: number[], std: number[] }',
      );
    }
    if (j.dim !== undefined && j.dim !== j.mean.length) {
      throw new SpeechError("CMVN_BAD_STATS", `Cmvn.fromJSON: dim is ${j.dim} but mean has ${j.mean.length} values`);
    }
    return new Cmvn(Float32Array.from(j.mean), Float32Array.from(j.std), j.frames ?? 0);
  }

  /** `[2·D]`: the means then the standard deviations (e.g. to store beside model weights). */
  toFloat32Array(): Float32Array {
    const out = new Float32Array(2 * this.dim);
    out.set(this.mean, 0);
    out.set(this.std, this.dim);
    return out;
  }

  /**
   * Reads {@link toFloat32Array}'s layout.
   * @throws SpeechError `CMVN_BAD_STATS` for an odd or zero length, or invalid values.
   */
  static fromFloat32Array(packed: Float32Array): Cmvn {
    if (packed.length === 0 || packed.length % 2 !== 0) {
      throw new SpeechError("CMVN_BAD_STATS", `Cmvn.fromFloat32Array: expected [2·D] values, got ${packed.length}`);
    }
    const d = packed.length / 2;
    return new Cmvn(packed.slice(0, d), packed.slice(d));
  }
}

/**
 * Per-utterance CMVN: normalizes `[T, D]` features with their own mean and std (floored at STD_FLOOR).
 * @throws SpeechError `CMVN_MISMATCH` for a malformed tensor, `CMVN_BAD_STATS` for T = 0.
 */
export function cmvnUtterance(features: FloatTensor): FloatTensor {
  return Cmvn.fit([features]).apply(features);
}
