/**
 * Learning-rate schedules: plain functions of the global step (0-based: the number of optimizer steps already
 * taken). Give one to `fit({ learningRate })`, which calls `trainer.setLearningRate` before every step.
 */
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
