/**
 * `magnitude`: features `[re | im]` (D even) → `y_k = √(re_k² + im_k²)`, D/2 features, for a sequence or a vector.
 * The gradient is written out (`tf.customGrad`): `dre_k = dy_k·re_k / y_k`, `dim_k = dy_k·im_k / y_k`, and 0 where
 * `y_k = 0` (the IR's rule; autodiff through `sqrt` would give 0·∞ = NaN there). The forward value is `tf.sqrt`'s,
 * unguarded.
 */
import type { Kernel } from "../engine/kernel.js";
import type { Tf, TfTensor } from "../tf.js";

export const magnitudeKernel: Kernel<"magnitude"> = (_node, [x], ctx) => [magnitude(ctx.tf, x!)];

/** `[..., D]` → `[..., D/2]` (see the module comment). */
export function magnitude(tf: Tf, x: TfTensor): TfTensor {
  const op = tf.customGrad(((input: TfTensor, save: (tensors: TfTensor[]) => void) => {
    const [re, im] = tf.split(input, 2, -1) as [TfTensor, TfTensor];
    const y = tf.sqrt(tf.add(tf.square(re), tf.square(im)));
    save([input, y]);
    return {
      value: y,
      gradFunc: (dy: TfTensor, [xs, ys]: TfTensor[]) => {
        const [r, i] = tf.split(xs!, 2, -1) as [TfTensor, TfTensor];
        // dy / y where y > 0; the other branch's Infinity/NaN is not selected.
        const scale = tf.where(tf.greater(ys!, 0), tf.div(dy, ys!), tf.zerosLike(ys!));
        return tf.concat([tf.mul(scale, r), tf.mul(scale, i)], -1);
      },
    };
  }) as never) as (input: TfTensor) => TfTensor;
  return op(x);
}
