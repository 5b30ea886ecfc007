/**
 * `torch.optim.RMSprop` (not centered): d = g + wd·p; s = ρ·s + (1−ρ)·d²; a = √s + eps; with momentum,
 * buf = μ·buf + d/a and p −= lr·buf, else p −= lr·d/a. PyTorch calls ρ `alpha`.
 */
import type { RmspropParams } from "@recurrent/core";
import { decayed, type UpdateRule } from "./update-rule.js";

/** The RMSprop update rule; slots `rmsprop.squareAvg` and, when momentum > 0, `rmsprop.momentum`. */
export function rmspropRule({ rho, eps, momentum, weightDecay }: RmspropParams): UpdateRule {
  return {
    apply(tf, p, g, [squareAvg, buf], lr) {
      const d = decayed(tf, p, g, weightDecay);
      const s = tf.add(tf.mul(squareAvg!, rho), tf.mul(tf.square(d), 1 - rho));
      const scaled = tf.div(d, tf.add(tf.sqrt(s), eps));
      if (buf === undefined) return { param: tf.sub(p, tf.mul(scaled, lr)), slots: [s] };
      const b = tf.add(tf.mul(buf, momentum), scaled);
      return { param: tf.sub(p, tf.mul(b, lr)), slots: [s, b] };
    },
  };
}
