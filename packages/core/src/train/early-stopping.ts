/**
 * Early stopping as a pure function of the history, so that a resumed run reaches the same decision as an
 * uninterrupted one without any extra saved state.
 */
import type { EpochRecord } from "./checkpoint.js";

/** What early stopping (and `History.bestEpoch`) watches. */
export interface Monitor {
  /** `"valLoss"` (needs a validation set), `"trainLoss"`, or the name of one of `fit`'s `metrics`. */
  readonly monitor: string;
  /** An epoch improves when its value beats the best so far by more than this. */
  readonly minDelta: number;
  /** `"min"`: lower is better (losses); `"max"`: higher is better (accuracy). */
  readonly mode: "min" | "max";
}

/** The monitored value of an epoch; a missing one (no validation, metric absent) never counts as the best. */
export function monitoredValue(r: EpochRecord, m: Monitor): number {
  const v = m.monitor === "valLoss" ? r.valLoss : m.monitor === "trainLoss" ? r.trainLoss : r.metrics?.[m.monitor];
  if (v === null || v === undefined) return m.mode === "min" ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  return v;
}

/**
 * The best epoch so far (the last improvement, Keras semantics), its value (`loss`, whatever is monitored) and the
 * epochs since; undefined for an empty history.
 */
export function bestOf(
  history: readonly EpochRecord[],
  m: Monitor,
): { epoch: number; loss: number; wait: number } | undefined {
  let best: { epoch: number; loss: number; wait: number } | undefined;
  const sign = m.mode === "min" ? 1 : -1;
  for (const r of history) {
    const value = monitoredValue(r, m);
    if (best === undefined || sign * value < sign * best.loss - m.minDelta)
      best = { epoch: r.epoch, loss: value, wait: 0 };
    else best.wait++;
  }
  return best;
}

/** Whether `patience` epochs in a row have passed without an improvement. */
export function shouldStop(history: readonly EpochRecord[], m: Monitor & { readonly patience: number }): boolean {
  const best = bestOf(history, m);
  return best !== undefined && best.wait > 0 && best.wait >= m.patience;
}
