/**
 * Optimizer naming, written once: which slots each update rule keeps (and so the names in an `OptimizerState`,
 * `<prefix>/<weight key>`, which every backend shares so that checkpoints move between them), and the choice of
 * a backend's rule by kind. The arithmetic of each rule is the backend's.
 */
import type { OptimizerConfig } from "../train/config.js";
import { type AdamParams, type RmspropParams, resolveOptimizer, type SgdParams } from "../train/optimizer-config.js";

/**
 * The slot prefixes an optimizer keeps per weight, in the order its rule receives them: SGD `sgd.momentum` (only
 * with momentum > 0), RMSprop `rmsprop.squareAvg` then `rmsprop.momentum` (only with momentum > 0), Adam
 * `adam.m` then `adam.v`.
 */
export function optimizerSlots(config: OptimizerConfig): readonly string[] {
  const optimizer = resolveOptimizer(config);
  switch (optimizer.kind) {
    case "sgd":
      return optimizer.momentum > 0 ? ["sgd.momentum"] : [];
    case "rmsprop":
      return optimizer.momentum > 0 ? ["rmsprop.squareAvg", "rmsprop.momentum"] : ["rmsprop.squareAvg"];
    case "adam":
      return ["adam.m", "adam.v"];
    default:
      return optimizer satisfies never;
  }
}

/** A backend's update rules, one factory per optimizer kind (the compiler asks for every kind). */
export interface UpdateRules<R> {
  sgd(params: SgdParams): R;
  rmsprop(params: RmspropParams): R;
  adam(params: AdamParams): R;
}

/** The backend's rule for a (validated) optimizer config, defaults filled in. */
export function pickRule<R>(config: OptimizerConfig, rules: UpdateRules<R>): R {
  const resolved = resolveOptimizer(config);
  switch (resolved.kind) {
    case "sgd":
      return rules.sgd(resolved);
    case "rmsprop":
      return rules.rmsprop(resolved);
    case "adam":
      return rules.adam(resolved);
    default:
      return resolved satisfies never;
  }
}
