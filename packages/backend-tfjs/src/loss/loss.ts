/** Dispatch over `LossKind`: the loss of one output as a scalar tensor. */
import { BackendError, type IntTensor, type LossConfig, type LossKind, type Tensor } from "@recurrent/core";
import type { Lengths } from "../engine/lengths.js";
import type { Tf, TfTensor } from "../tf.js";
import { mseLoss } from "./mse.js";
import { softmaxCrossEntropyLoss } from "./softmax-cross-entropy.js";

/** A loss kind or config, as a config. */
export function lossConfigOf(loss: LossKind | LossConfig): LossConfig {
  return typeof loss === "string" ? { kind: loss } : loss;
}

/**
 * The loss of output `y` against `target`, masked by the output's `lengths`.
 * @throws BackendError BAD_CONFIG for an unknown loss kind, or as `mseLoss` / `softmaxCrossEntropyLoss`.
 */
export function lossOf(
  tf: Tf,
  loss: LossKind | LossConfig,
  y: TfTensor,
  target: Tensor | IntTensor,
  lengths: Lengths | undefined,
  output: string,
): TfTensor {
  const config = lossConfigOf(loss);
  switch (config.kind) {
    case "mse":
      return mseLoss(tf, y, target, lengths, output);
    case "softmaxCrossEntropy":
      return softmaxCrossEntropyLoss(tf, y, target, lengths, output, config.classWeights);
    default:
      config.kind satisfies never;
      throw new BackendError("BAD_CONFIG", `unknown loss "${String((config as LossConfig).kind)}"`);
  }
}
