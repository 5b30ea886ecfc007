/**
 * The shape shared by the optimizer update rules: one elementwise update of a parameter tensor in place, given its
 * gradient and its slot buffers. Each rule follows `torch.optim` (1.13) to the operation, including the order in
 * which L2 weight decay is folded into the gradient.
 */

/** One optimizer's per-element arithmetic. */
export interface UpdateRule {
  /** Slot prefixes this rule keeps per weight (`adam.m` → slot `adam.m/<weight key>`), in a fixed order. */
  readonly slots: readonly string[];
  /**
   * Updates `param` in place from `grad` (left untouched) and the rule's slots (same length as `param`, updated in
   * place). `lr` is the current learning rate and `step` the 1-based number of this update.
   */
  apply(param: Float32Array, grad: Float32Array, slots: readonly Float32Array[], lr: number, step: number): void;
}
