/**
 * Detects a training run that explodes without ever producing NaN: Adam at lr 1e10 "completes" with a loss of
 * 2.2e16 and, unchecked, overwrites every checkpoint with garbage. The rule compares the mean loss of the last
 * `window` steps with the first loss of the run (or of the resumed part): the first loss is about the largest a
 * sane run ever sees, so a mean `factor` times above it is divergence, whatever the scale of the loss. A mean,
 * not a single step, so that one bad batch does not stop a run unless it alone is `factor · window` times the
 * reference.
 */
import { TrainError } from "./errors.js";

/** `fit`'s `divergence` option: how far the loss may grow before the run is stopped. */
export interface LossGrowthOptions {
  /** Stop when the mean loss of the last `window` steps exceeds `factor` × the first step's loss; default 1000. */
  readonly factor?: number;
  /** Steps in the running mean; default 10. */
  readonly window?: number;
}

/** The defaults of {@link LossGrowthOptions}. */
export const DEFAULT_LOSS_GROWTH = Object.freeze({ factor: 1000, window: 10 });

/** What {@link LossGrowthGuard.observe} reports when the rule fires. */
export interface LossGrowth {
  /** The running mean that crossed the limit. */
  readonly mean: number;
  /** The first loss of the run, the reference. */
  readonly reference: number;
  readonly factor: number;
  readonly window: number;
}

/** Keeps the running mean of the last `window` losses and says when it has grown `factor` times. */
export class LossGrowthGuard {
  private reference: number | undefined;
  private readonly recent: number[] = [];
  private sum = 0;

  constructor(
    readonly factor: number,
    readonly window: number,
  ) {}

  /** Records one step's (finite) loss; returns the growth when the mean is over the limit, else undefined. */
  observe(loss: number): LossGrowth | undefined {
    this.reference ??= loss;
    this.recent.push(loss);
    this.sum += loss;
    if (this.recent.length > this.window) this.sum -= this.recent.shift()!;
    const mean = this.sum / this.recent.length;
    // A run that starts at loss 0 has no scale to grow from; such runs are left alone.
    if (this.reference > 0 && mean > this.factor * this.reference) {
      return { mean, reference: this.reference, factor: this.factor, window: this.window };
    }
    return undefined;
  }
}

/**
 * Checks `fit`'s `divergence` option (`false` turns the rule off).
 * @throws TrainError `BAD_OPTIONS` naming the field.
 */
export function resolveLossGrowth(value: unknown): { factor: number; window: number } | undefined {
  if (value === false) return undefined;
  if (value === undefined || value === true) return { ...DEFAULT_LOSS_GROWTH };
  const bad = (what: string, found: unknown): never => {
    throw new TrainError(
      "BAD_OPTIONS",
      `fit: option "divergence${what}" must be ${what === "" ? "false or { factor?, window? }" : what === ".factor" ? "a finite number > 1" : "a positive integer"}, found ${JSON.stringify(found) ?? String(found)}`,
    );
  };
  if (typeof value !== "object" || value === null) return bad("", value);
  for (const key of Object.keys(value)) {
    if (key !== "factor" && key !== "window") {
      throw new TrainError(
        "BAD_OPTIONS",
        `fit: unknown option "divergence.${key}"; expected one of divergence.factor, divergence.window`,
      );
    }
  }
  const { factor = DEFAULT_LOSS_GROWTH.factor, window = DEFAULT_LOSS_GROWTH.window } = value as LossGrowthOptions;
  if (typeof factor !== "number" || !Number.isFinite(factor) || factor <= 1) bad(".factor", factor);
  if (!Number.isInteger(window) || window <= 0) bad(".window", window);
  return { factor, window };
}
