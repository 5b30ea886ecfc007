/** Dispatch over `LossKind`. */
import { BackendError, type IntTensor, type LossConfig, type LossKind, type Tensor } from "@recurrent/core";
import type { Value } from "../engine/value.js";
import { binaryCrossEntropyLoss } from "./binary-cross-entropy.js";
import { type LossResult, mseLoss } from "./mse.js";
import { softmaxCrossEntropyLoss } from "./softmax-cross-entropy.js";

export type { LossResult } from "./mse.js";

/**
 * The loss of output `y` against `target` and its gradient.
 * @throws BackendError BAD_CONFIG for an unknown loss kind, or as {@link mseLoss} / {@link softmaxCrossEntropyLoss} /
 *   {@link binaryCrossEntropyLoss}.
 */
export function runLoss(loss: LossKind | LossConfig, y: Value, target: Tensor | IntTensor, output: string): LossResult {
  const config: LossConfig = typeof loss === "string" ? { kind: loss } : loss;
  switch (config.kind) {
    case "mse":
      return mseLoss(y, target, output);
    case "softmaxCrossEntropy":
      return softmaxCrossEntropyLoss(y, target, output, config.classWeights);
    case "binaryCrossEntropy":
      return binaryCrossEntropyLoss(y, target, output, config);
    default:
      config.kind satisfies never;
      throw new BackendError("BAD_CONFIG", `unknown loss "${String((config as LossConfig).kind)}"`);
  }
}
