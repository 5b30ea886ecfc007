/**
 * `torch.optim.SGD` with `dampening = 0`: d = g + wd·p; with momentum, buf = μ·buf + d (buf = d on the first step,
 * which zero-initialized slots reproduce exactly), then d = d + μ·buf (Nesterov) or d = buf; finally p −= lr·d.
 */
import type { SgdParams } from "@recurrent/core";
import type { UpdateRule } from "./update-rule.js";

/** The SGD update rule; one slot `sgd.momentum` when momentum > 0, none otherwise. */
export function sgdRule({ momentum, nesterov, weightDecay }: SgdParams): UpdateRule {
  if (momentum === 0) {
    return {
      apply(p, g, _slots, lr) {
        for (let i = 0; i < p.length; i++) p[i] = p[i]! - lr * (g[i]! + weightDecay * p[i]!);
      },
    };
  }
  return {
    apply(p, g, [buf], lr) {
      const b = buf!;
      for (let i = 0; i < p.length; i++) {
        const d = g[i]! + weightDecay * p[i]!;
        b[i] = momentum * b[i]! + d;
        const update = nesterov ? d + momentum * b[i]! : b[i]!;
        p[i] = p[i]! - lr * update;
      }
    },
  };
}
