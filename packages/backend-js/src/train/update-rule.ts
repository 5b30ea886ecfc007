/**
 * The shape shared by the optimizer update rules: one elementwise update of a parameter tensor in place, given its
 * gradient and its slot buffers. Each rule follows `torch.optim` (1.13) to the operation, including the order in
 * which L2 weight decay is folded into the gradient.
 */

/** One optimizer's per-element arithmetic. */
export interface UpdateRule {
  /**
   * Updates `param` in place from `grad` (left untouched) and the rule's slots (same length as `param`, updated in
   * place, in the order core's `optimizerSlots` names them). `lr` is the current learning rate and `step` the
   * 1-based number of this update.
   */
  apply(param: Float32Array, grad: Float32Array, slots: readonly Float32Array[], lr: number, step: number): void;
}
