/**
 * Training configuration shared by every training backend. Core specifies the semantics; each backend
 * implements them (and the conformance suite checks the losses against PyTorch).
 */

/**
 * Losses, both masked by the lengths of the output's sequence (padded steps contribute nothing):
 * - `mse`: Σ over valid (t, b) and features of (y − target)² / (valid frames · features) — PyTorch `MSELoss`
 *   over the valid frames. Target: a float tensor shaped like the output.
 * - `softmaxCrossEntropy`: −Σ over valid (t, b) of w[label]·log softmax(y)[label] / Σ w[label] (weights 1 when
 *   `classWeights` is absent) — PyTorch `CrossEntropyLoss(weight=…)` over the valid frames. Target: int labels
 *   `[T, B]` (or `[B]` for a vector output), each in 0..classes−1.
 */
export type LossKind = "mse" | "softmaxCrossEntropy";

export interface LossConfig {
  readonly kind: LossKind;
  /** Softmax cross-entropy only: one weight per class. */
  readonly classWeights?: readonly number[];
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
}
