/**
 * `torch.optim.RMSprop` (not centered): d = g + wd·p; s = ρ·s + (1−ρ)·d²; a = √s + eps; with momentum,
 * buf = μ·buf + d/a and p −= lr·buf, else p −= lr·d/a. PyTorch calls ρ `alpha`.
 */
import type { RmspropParams } from "@recurrent/core";
import type { UpdateRule } from "./update-rule.js";

/** The RMSprop update rule; slots `rmsprop.squareAvg` and, when momentum > 0, `rmsprop.momentum`. */
export function rmspropRule({ rho, eps, momentum, weightDecay }: RmspropParams): UpdateRule {
  return {
    apply(p, g, [squareAvg, buf], lr) {
      const s = squareAvg!;
      for (let i = 0; i < p.length; i++) {
        const d = g[i]! + weightDecay * p[i]!;
        s[i] = rho * s[i]! + (1 - rho) * d * d;
        const scaled = d / (Math.sqrt(s[i]!) + eps);
        if (buf) {
          buf[i] = momentum * buf[i]! + scaled;
          p[i] = p[i]! - lr * buf[i]!;
        } else {
          p[i] = p[i]! - lr * scaled;
        }
      }
    },
  };
}
