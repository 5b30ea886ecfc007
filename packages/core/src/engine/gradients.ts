/**
 * `Backend.gradients()`, written once: the weights (NaN included) and the loss output are checked here, with the
 * same messages on every backend; the engine checks the feeds (core's `checkModelFeeds`) and the target (its
 * loss) and computes the loss and its gradients.
 */
import type { Gradients, TrainBatch } from "../backend/backend.js";
import type { ValidModel } from "../ir/valid-model.js";
import type { Tensor } from "../tensor/tensor.js";
import type { LossConfig, LossKind, TrainConfig } from "../train/config.js";
import type { Weights } from "../weights/weights.js";
import { lossOutput } from "./fetch.js";
import { checkEngineWeights } from "./weights.js";

/** What a backend's gradient computation receives, checked. */
export interface GradientsRequest {
  readonly model: ValidModel;
  /** Every parameter, exact shape, finite, in spec order (data shared with the caller's weights). */
  readonly weights: ReadonlyMap<string, Tensor>;
  readonly batch: TrainBatch;
  /** The loss as the caller gave it. */
  readonly loss: LossKind | LossConfig;
  /** The value the loss reads (a value of the model). */
  readonly output: string;
}

/**
 * The loss on one batch and its gradients for every weight and float feed, no update, dropout off.
 * @param compute the engine: loss and d loss / d weight (every key) and d loss / d feed (every float feed).
 * @throws BackendError WEIGHTS / NON_FINITE for a bad weight, BAD_CONFIG for an output that is no value of the
 *   model, and the engine's feed and target errors.
 */
export async function computeGradients(
  model: ValidModel,
  weights: Weights,
  batch: TrainBatch,
  config: Pick<TrainConfig, "loss" | "output">,
  compute: (request: GradientsRequest) => Gradients | Promise<Gradients>,
): Promise<Gradients> {
  const checked = checkEngineWeights(model, weights, "gradients");
  const output = lossOutput(model, config.output);
  return compute({ model, weights: checked, batch, loss: config.loss, output });
}
