/**
 * Dispatch over `LossKind`. A loss is prepared on the host first (every check of the target done, host-side
 * arrays built), so that nothing can throw once tfjs's gradient tape is running: tfjs does not release the
 * tensors it saved for backward when a gradient function throws.
 */
import { BackendError, type IntTensor, type LossConfig, type LossKind, type Tensor } from "@recurrent/core";
import { binaryCrossEntropyLoss } from "./binary-cross-entropy.js";
import { type LossFn, mseLoss } from "./mse.js";
import { softmaxCrossEntropyLoss } from "./softmax-cross-entropy.js";

export type { LossFn } from "./mse.js";

/** A loss kind or config, as a config. */
export function lossConfigOf(loss: LossKind | LossConfig): LossConfig {
  return typeof loss === "string" ? { kind: loss } : loss;
}

/**
 * The loss of an output of shape `shape` (masked by `lengths` when it is a sequence) against `target`.
 * @throws BackendError BAD_CONFIG for an unknown loss kind, or as `mseLoss` / `softmaxCrossEntropyLoss` /
 *   `binaryCrossEntropyLoss`.
 */
export function prepareLoss(
  loss: LossKind | LossConfig,
  shape: readonly number[],
  target: Tensor | IntTensor,
  lengths: Int32Array | undefined,
  output: string,
): LossFn {
  const config = lossConfigOf(loss);
  switch (config.kind) {
    case "mse":
      return mseLoss(shape, target, lengths, output);
    case "softmaxCrossEntropy":
      return softmaxCrossEntropyLoss(shape, target, lengths, output, config.classWeights);
    case "binaryCrossEntropy":
      return binaryCrossEntropyLoss(shape, target, lengths, output, config.fromLogits ?? false, config.classWeights);
    default:
      config.kind satisfies never;
      throw new BackendError("BAD_CONFIG", `unknown loss "${String((config as LossConfig).kind)}"`);
  }
}
