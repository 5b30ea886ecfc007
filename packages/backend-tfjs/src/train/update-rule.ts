/**
 * The shape shared by the optimizer update rules, on tfjs ops: given a parameter, its gradient and its slots,
 * the new parameter and slots. Each rule follows `torch.optim` (1.13) to the operation, including the order in
 * which L2 weight decay is folded into the gradient; bias corrections and step sizes are computed on the host
 * in float64, as backend-js does. tf.train optimizers are not used: none takes a weight decay, their RMSprop
 * puts eps inside the square root (√(s + eps), PyTorch: √s + eps) and their slots are not ours to name, so
 * checkpoints would not move between backends.
 */
import type { Tf, TfTensor } from "../tf.js";

/** What one rule returns: new values for the parameter and for each slot (tensors of the current scope). */
export interface RuleResult {
  readonly param: TfTensor;
  readonly slots: readonly TfTensor[];
}

/** One optimizer's elementwise arithmetic. */
export interface UpdateRule {
  /**
   * `slots` in the order core's `optimizerSlots` names them; `lr` is the current learning rate and `step` the
   * 1-based number of this update.
   */
  apply(tf: Tf, param: TfTensor, grad: TfTensor, slots: readonly TfTensor[], lr: number, step: number): RuleResult;
}

/** `g + wd·p` (PyTorch's L2 weight decay), or `g` when wd is 0. */
export function decayed(tf: Tf, param: TfTensor, grad: TfTensor, weightDecay: number): TfTensor {
  return weightDecay === 0 ? grad : tf.add(grad, tf.mul(param, weightDecay));
}
