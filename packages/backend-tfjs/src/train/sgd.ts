/**
 * `torch.optim.SGD` with `dampening = 0`: d = g + wd·p; with momentum, buf = μ·buf + d (buf = d on the first step,
 * which zero-initialized slots reproduce exactly), then d = d + μ·buf (Nesterov) or d = buf; finally p −= lr·d.
 */
import type { SgdParams } from "@recurrent/core";
import { decayed, type UpdateRule } from "./update-rule.js";

/** The SGD update rule; one slot `sgd.momentum` when momentum > 0, none otherwise. */
export function sgdRule({ momentum, nesterov, weightDecay }: SgdParams): UpdateRule {
  if (momentum === 0) {
    return {
      apply: (tf, p, g, _slots, lr) => ({ param: tf.sub(p, tf.mul(decayed(tf, p, g, weightDecay), lr)), slots: [] }),
    };
  }
  return {
    apply(tf, p, g, [buf], lr) {
      const d = decayed(tf, p, g, weightDecay);
      const b = tf.add(tf.mul(buf!, momentum), d);
      const update = nesterov ? tf.add(d, tf.mul(b, momentum)) : b;
      return { param: tf.sub(p, tf.mul(update, lr)), slots: [b] };
    },
  };
}
