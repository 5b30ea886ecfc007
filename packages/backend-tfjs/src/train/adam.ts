/**
 * `torch.optim.Adam` (not AMSGrad): d = g + wd·p (L2, not AdamW); m = β1·m + (1−β1)·d; v = β2·v + (1−β2)·d²;
 * p −= (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + eps).
 */
import type { AdamParams } from "@recurrent/core";
import { decayed, type UpdateRule } from "./update-rule.js";

/** The Adam update rule; slots `adam.m` (first moment) and `adam.v` (second moment). */
export function adamRule({ beta1, beta2, eps, weightDecay }: AdamParams): UpdateRule {
  return {
    apply(tf, p, g, [mSlot, vSlot], lr, step) {
      const stepSize = lr / (1 - beta1 ** step);
      const correction2Sqrt = Math.sqrt(1 - beta2 ** step);
      const d = decayed(tf, p, g, weightDecay);
      const m = tf.add(tf.mul(mSlot!, beta1), tf.mul(d, 1 - beta1));
      const v = tf.add(tf.mul(vSlot!, beta2), tf.mul(tf.square(d), 1 - beta2));
      const denom = tf.add(tf.div(tf.sqrt(v), correction2Sqrt), eps);
      return { param: tf.sub(p, tf.mul(tf.div(m, denom), stepSize)), slots: [m, v] };
    },
  };
}
