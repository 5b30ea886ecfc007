/**
 * Learning-rate schedules: plain functions of the global step (0-based: the number of optimizer steps already
 * taken), or — reduce-on-plateau — of the finished epochs' history. Give one to `fit({ learningRate })`, which
 * calls `trainer.setLearningRate` before every step. Being pure functions, they resume exactly.
 */
import type { EpochRecord } from "./checkpoint.js";
import { monitoredValue } from "./early-stopping.js";
import { TrainError } from "./errors.js";

/** A learning rate per global step (0-based). */
export type Schedule = (step: number) => number;

/**
 * A constant learning rate.
 * @throws TrainError `BAD_OPTIONS` when `lr` is not a finite number > 0.
 */
export function constant(lr: number): Schedule {
  positive("constant", "lr", lr);
  return () => lr;
}

/**
 * `initial · factor^⌊step / every⌋` (PyTorch `StepLR`).
 * @throws TrainError `BAD_OPTIONS` when `initial` ≤ 0, `factor` ∉ (0, ∞) or `every` is not a positive integer.
 */
export function stepDecay(options: {
  readonly initial: number;
  readonly factor: number;
  readonly every: number;
}): Schedule {
  const { initial, factor, every } = options;
  positive("stepDecay", "initial", initial);
  positive("stepDecay", "factor", factor);
  positiveInteger("stepDecay", "every", every);
  return (step) => initial * factor ** Math.floor(Math.max(0, step) / every);
}

/**
 * Linear warm-up then cosine decay. For `step < warmup`: `initial · (step + 1) / warmup`; then, with
 * `s = step − warmup` and `D = steps − warmup`: `final + (initial − final) · (1 + cos(π · min(s, D) / D)) / 2`,
 * so it reaches `final` (default 0) at `step = steps` and stays there.
 * @throws TrainError `BAD_OPTIONS` when `initial` ≤ 0, `final` ∉ [0, initial], `steps` is not a positive
 *   integer or `warmup` is not an integer in [0, steps).
 */
export function cosineDecay(options: {
  readonly initial: number;
  readonly final?: number;
  readonly steps: number;
  readonly warmup?: number;
}): Schedule {
  const { initial, steps } = options;
  const final = options.final ?? 0;
  const warmup = options.warmup ?? 0;
  positive("cosineDecay", "initial", initial);
  positiveInteger("cosineDecay", "steps", steps);
  if (!Number.isFinite(final) || final < 0 || final > initial) {
    throw new TrainError("BAD_OPTIONS", `cosineDecay: final must be in [0, initial = ${initial}], got ${final}`);
  }
  if (!Number.isInteger(warmup) || warmup < 0 || warmup >= steps) {
    throw new TrainError(
      "BAD_OPTIONS",
      `cosineDecay: warmup must be an integer in [0, steps = ${steps}), got ${warmup}`,
    );
  }
  const decaySteps = steps - warmup;
  return (step) => {
    if (step < warmup) return (initial * (Math.max(0, step) + 1)) / warmup;
    const progress = Math.min(step - warmup, decaySteps) / decaySteps;
    return final + ((initial - final) * (1 + Math.cos(Math.PI * progress))) / 2;
  };
}

/** A learning rate from the step, the epoch and the finished epochs (what `fit`'s `learningRate` is called with). */
export type EpochSchedule = (step: number, epoch: number, history: readonly EpochRecord[]) => number;

/** Options of {@link reduceOnPlateau}. */
export interface ReduceOnPlateauOptions {
  readonly initial: number;
  /** Multiplier applied on a plateau, in (0, 1); default 0.1. */
  readonly factor?: number;
  /** Epochs without improvement tolerated; the rate drops after `patience + 1` bad epochs in a row. Default 2. */
  readonly patience?: number;
  /** `"valLoss"` (default), `"trainLoss"` or a `fit` metric's name. */
  readonly monitor?: string;
  /** Default `"min"`; `"max"` for a metric such as accuracy. */
  readonly mode?: "min" | "max";
  /** Smallest change that counts as an improvement; default 0. */
  readonly minDelta?: number;
  /** Floor of the rate; default 0. */
  readonly min?: number;
}

/**
 * PyTorch's `ReduceLROnPlateau` (no cooldown, absolute threshold) as a pure function of the history: walking the
 * finished epochs, a bad epoch (no improvement over the best by more than `minDelta`) adds one to a counter; when
 * the counter exceeds `patience` the rate becomes `max(rate · factor, min)` and the counter restarts. An epoch
 * whose monitored value is missing counts as bad.
 * @throws TrainError `BAD_OPTIONS` when `initial` ≤ 0, `factor` ∉ (0, 1), `patience` is not an integer ≥ 0,
 *   `minDelta` < 0 or `min` ∉ [0, initial].
 */
export function reduceOnPlateau(options: ReduceOnPlateauOptions): EpochSchedule {
  const { initial, factor = 0.1, patience = 2, monitor = "valLoss", mode = "min", minDelta = 0, min = 0 } = options;
  positive("reduceOnPlateau", "initial", initial);
  if (!(factor > 0 && factor < 1)) {
    throw new TrainError("BAD_OPTIONS", `reduceOnPlateau: factor must be in (0, 1), got ${factor}`);
  }
  if (!Number.isInteger(patience) || patience < 0) {
    throw new TrainError("BAD_OPTIONS", `reduceOnPlateau: patience must be an integer >= 0, got ${patience}`);
  }
  if (!(minDelta >= 0)) throw new TrainError("BAD_OPTIONS", `reduceOnPlateau: minDelta must be >= 0, got ${minDelta}`);
  if (!(min >= 0 && min <= initial)) {
    throw new TrainError("BAD_OPTIONS", `reduceOnPlateau: min must be in [0, initial = ${initial}], got ${min}`);
  }
  if (mode !== "min" && mode !== "max") {
    throw new TrainError("BAD_OPTIONS", `reduceOnPlateau: mode must be "min" or "max", got ${String(mode)}`);
  }
  const m = { monitor, mode, minDelta };
  const sign = mode === "min" ? 1 : -1;
  return (_step, _epoch, history) => {
    let lr = initial;
    let best = Number.POSITIVE_INFINITY;
    let bad = 0;
    for (const r of history) {
      const v = sign * monitoredValue(r, m);
      if (v < best - minDelta) {
        best = v;
        bad = 0;
      } else if (++bad > patience) {
        lr = Math.max(lr * factor, min);
        bad = 0;
      }
    }
    return lr;
  };
}

function positive(fn: string, name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new TrainError("BAD_OPTIONS", `${fn}: ${name} must be a finite number > 0, got ${value}`);
  }
}

function positiveInteger(fn: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new TrainError("BAD_OPTIONS", `${fn}: ${name} must be a positive integer, got ${value}`);
  }
}
