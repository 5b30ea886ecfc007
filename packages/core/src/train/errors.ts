/**
 * Errors of the training loop, datasets, schedules, checkpoints. Each has a stable `code`; the message says
 * what was expected, what was found and how to fix it.
 */

export type TrainErrorCode =
  /** `fit` options, schedule arguments or dataset options are invalid. */
  | "BAD_OPTIONS"
  /** A dataset example is malformed (wrong length, mixed target kinds, …). */
  | "BAD_DATASET"
  /** The loss or gradient norm became NaN or infinite, or the loss exploded (`fit`'s `divergence` option). */
  | "DIVERGED"
  /** A checkpoint file is not a checkpoint, has an unknown format version or a malformed field. */
  | "BAD_CHECKPOINT"
  /** `resume` names a checkpoint that does not exist. */
  | "CHECKPOINT_NOT_FOUND"
  /** The checkpoint was written by a run whose data/batching/seed differ from this one. */
  | "RESUME_MISMATCH";

/** Error raised by the training loop and its helpers. */
export class TrainError extends Error {
  override name = "TrainError";
  constructor(
    readonly code: TrainErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** What was found not finite. */
export interface Divergence {
  /** Epoch index (0-based). */
  readonly epoch: number;
  /** Batch index within the epoch (0-based); -1 for a validation loss or the weights at a checkpoint. */
  readonly batch: number;
  /** Global step: optimizer steps completed before the failing one (or before the checkpoint). */
  readonly step: number;
  /** The offending value. */
  readonly value: number;
  /** What was not finite, or `lossGrowth`: the running mean loss grew past `fit`'s `divergence` limit. */
  readonly quantity: "loss" | "gradNorm" | "valLoss" | "weights" | "lossGrowth";
  /** For `weights`: the weight key. */
  readonly weight?: string;
  /** For `lossGrowth`: the mean, the reference loss and the rule's settings. */
  readonly growth?: {
    readonly mean: number;
    readonly reference: number;
    readonly factor: number;
    readonly window: number;
  };
}

/**
 * A training loss, gradient norm or validation loss was NaN or ±Infinity, a weight was about to be
 * checkpointed non-finite, or the loss grew past `fit`'s `divergence` limit. `fit` throws it before writing any checkpoint of the broken state, so the last good
 * checkpoint survives.
 */
export class TrainingDivergedError extends TrainError {
  override name = "TrainingDivergedError";
  readonly epoch: number;
  readonly batch: number;
  readonly step: number;
  /** The offending value (a loss, gradient norm or weight element). */
  readonly loss: number;
  readonly quantity: Divergence["quantity"];
  readonly weight: string | undefined;
  constructor(d: Divergence) {
    const what =
      d.quantity === "weights"
        ? `weight "${d.weight}" has a value ${d.value}`
        : d.quantity === "lossGrowth" && d.growth !== undefined
          ? `the mean loss of the last ${d.growth.window} steps is ${d.growth.mean.toPrecision(3)}, over ` +
            `${d.growth.factor}× the first step's loss ${d.growth.reference.toPrecision(3)} (fit option "divergence")`
          : `${d.quantity} is ${d.value}`;
    const where =
      d.batch >= 0 ? `epoch ${d.epoch}, batch ${d.batch}, step ${d.step}` : `epoch ${d.epoch}, after step ${d.step}`;
    super(
      "DIVERGED",
      `Training diverged: ${what} at ${where} (0-based). ` +
        "No checkpoint of this state was written; the last good checkpoint, if any, is intact. " +
        "Hint: lower the learning rate, add clipNorm, or check the data for NaN/Inf.",
    );
    this.epoch = d.epoch;
    this.batch = d.batch;
    this.step = d.step;
    this.loss = d.value;
    this.quantity = d.quantity;
    this.weight = d.weight;
  }
}
