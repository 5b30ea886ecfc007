/**
 * Training configuration shared by every training backend. Core specifies the semantics; each backend
 * implements them (and the conformance suite checks the losses against PyTorch).
 */

/**
 * Losses, all masked by the lengths of the output's sequence (padded steps contribute nothing):
 * - `mse`: Σ over valid (t, b) and features of (y − target)² / (valid frames · features) — PyTorch `MSELoss`
 *   over the valid frames. Target: a float tensor shaped like the output.
 * - `softmaxCrossEntropy`: −Σ over valid (t, b) of w[label]·log softmax(y)[label] / Σ w[label] (weights 1 when
 *   `classWeights` is absent) — PyTorch `CrossEntropyLoss(weight=…)` over the valid frames. Target: int labels
 *   `[T, B]` (or `[B]` for a vector output), each in 0..classes−1.
 * - `binaryCrossEntropy`: Σ over valid (t, b) and features of w·ℓ / (valid frames · features), with
 *   ℓ = −(y·log p + (1 − y)·log(1 − p)), each log clamped at −100 (PyTorch `BCELoss`), or on logits z (`fromLogits`)
 *   ℓ = max(z, 0) − z·y + log(1 + e^−|z|) (`BCEWithLogitsLoss`); frame weight w = w0·(1 − y) + w1·y from
 *   `classWeights: [w0, w1]` (1 when absent). Target: a float tensor shaped like the output, each value in [0, 1].
 *   Silero VAD's recipe is `classWeights: [0.5, 1]` (non-speech frames count half); its tune.py divides by
 *   B·T_max (padding included) where this divides by the valid frames: the same for equal-length clips.
 */
export type LossKind = "mse" | "softmaxCrossEntropy" | "binaryCrossEntropy";

export interface LossConfig {
  readonly kind: LossKind;
  /**
   * Softmax cross-entropy: one weight per class. Binary cross-entropy: `[w0, w1]`, the weights of target-0 and
   * target-1 frames.
   */
  readonly classWeights?: readonly number[];
  /** Binary cross-entropy only: the output holds logits (default `false`: probabilities, e.g. after a sigmoid). */
  readonly fromLogits?: boolean;
}

/** Optimizers (PyTorch semantics for every hyper-parameter of the same name). */
export type OptimizerConfig =
  | {
      readonly kind: "sgd";
      readonly lr: number;
      readonly momentum?: number;
      readonly nesterov?: boolean;
      readonly weightDecay?: number;
    }
  | {
      readonly kind: "rmsprop";
      readonly lr: number;
      readonly rho?: number;
      readonly eps?: number;
      readonly momentum?: number;
      readonly weightDecay?: number;
    }
  | {
      readonly kind: "adam";
      readonly lr: number;
      readonly beta1?: number;
      readonly beta2?: number;
      readonly eps?: number;
      readonly weightDecay?: number;
    };

/** What a `Trainer` is built with. */
export interface TrainConfig {
  readonly loss: LossKind | LossConfig;
  readonly optimizer: OptimizerConfig;
  /** Clip gradients so their global L2 norm is at most this (the answer to exploding gradients). */
  readonly clipNorm?: number;
  /** Clip every gradient element to [−clipValue, clipValue]. */
  readonly clipValue?: number;
  /** The graph output the loss reads; default the first. */
  readonly output?: string;
  /** Truncated BPTT: backpropagate through at most this many steps per chunk, carrying state across chunks. */
  readonly truncateSteps?: number;
  /** Seed for dropout masks. */
  readonly seed?: number;
  /**
   * Weights that training leaves unchanged: node ids (every parameter of the node) or weight keys `node/param`.
   * A frozen weight is not updated (no weight decay either, its optimizer slots stay zero) and its gradient is left
   * out of the global norm and of clipping — PyTorch's parameters left out of the optimizer and `clip_grad_norm_`.
   * @example freeze: ["stft", "enc1", "enc2"] // fine-tune only the decoder
   */
  readonly freeze?: readonly string[];
}
