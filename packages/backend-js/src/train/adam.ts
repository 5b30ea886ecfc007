/**
 * `torch.optim.Adam` (not AMSGrad): d = g + wd·p (L2, not AdamW); m = β1·m + (1−β1)·d; v = β2·v + (1−β2)·d²;
 * p −= (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + eps).
 */
import type { AdamParams } from "@recurrent/core";
import type { UpdateRule } from "./update-rule.js";

/** The Adam update rule; slots `adam.m` (first moment) and `adam.v` (second moment). */
export function adamRule({ beta1, beta2, eps, weightDecay }: AdamParams): UpdateRule {
  return {
    apply(p, g, [mSlot, vSlot], lr, step) {
      const m = mSlot!;
      const v = vSlot!;
      const stepSize = lr / (1 - beta1 ** step);
      const correction2Sqrt = Math.sqrt(1 - beta2 ** step);
      for (let i = 0; i < p.length; i++) {
        const d = g[i]! + weightDecay * p[i]!;
        m[i] = beta1 * m[i]! + (1 - beta1) * d;
        v[i] = beta2 * v[i]! + (1 - beta2) * d * d;
        p[i] = p[i]! - (stepSize * m[i]!) / (Math.sqrt(v[i]!) / correction2Sqrt + eps);
      }
    },
  };
}
