/**
 * Early stopping as a pure function of the history, so that a resumed run reaches the same decision as an
 * uninterrupted one without any extra saved state.
 */
import type { EpochRecord } from "./checkpoint.js";

/** What early stopping watches. */
export interface Monitor {
  /** `valLoss` needs a validation set. */
  readonly monitor: "valLoss" | "trainLoss";
  /** An epoch improves when its loss is below the best so far minus this. */
  readonly minDelta: number;
}

/** The best epoch so far (the last improvement, Keras semantics) and its loss; undefined for an empty history. */
export function bestOf(
  history: readonly EpochRecord[],
  m: Monitor,
): { epoch: number; loss: number; wait: number } | undefined {
  let best: { epoch: number; loss: number; wait: number } | undefined;
  for (const r of history) {
    const loss = (m.monitor === "valLoss" ? r.valLoss : r.trainLoss) ?? Number.POSITIVE_INFINITY;
    if (best === undefined || loss < best.loss - m.minDelta) best = { epoch: r.epoch, loss, wait: 0 };
    else best.wait++;
  }
  return best;
}

/** Whether `patience` epochs in a row have passed without an improvement. */
export function shouldStop(history: readonly EpochRecord[], m: Monitor & { readonly patience: number }): boolean {
  const best = bestOf(history, m);
  return best !== undefined && best.wait > 0 && best.wait >= m.patience;
}
