/** The IR's elementwise activations on tfjs ops (`softmax` over the last axis). */
import type { Activation } from "@recurrent/core";
import type { Tf, TfTensor } from "../tf.js";

/** `act(x)`, same shape as `x`. */
export function activate(tf: Tf, activation: Activation, x: TfTensor): TfTensor {
  switch (activation) {
    case "linear":
      return x;
    case "tanh":
      return tf.tanh(x);
    case "sigmoid":
      return tf.sigmoid(x);
    case "relu":
      return tf.relu(x);
    case "softmax":
      return tf.softmax(x, -1);
    default:
      return activation satisfies never;
  }
}
