/**
 * The contract between the IR and whatever runs it (ONNX-runtime style: compile a validated graph once, run it
 * many times). Backends are plain objects made by factories; nothing registers itself on import.
 */
import type { LayerNode } from "../ir/nodes.js";
import type { ValidModel } from "../ir/valid-model.js";
import type { IntTensor, Tensor } from "../tensor/tensor.js";
import type { TrainConfig } from "../train/config.js";
import type { Weights } from "../weights/weights.js";

/**
 * What a run is fed: input tensors by input id, and `Int32Array [B]` lengths by lengths-feed name — required for
 * every lengths feed the model declares (`fullLengths(x)` when every sample uses all T steps). It may also hold initial recurrent states keyed by an `rnn` node's state output names
 * (`<id>/h`, `<id>/c`, each `[directions, B, units]`) for nodes whose state inputs are not wired: this is how
 * `stream()` carries state from one call to the next. Unset states are zero.
 */
export type Feeds = Readonly<Record<string, Tensor | Int32Array>>;

/** What a run returns: every requested value by name. */
export type Outputs = Readonly<Record<string, Tensor>>;

/** Options of one run. */
export interface RunOptions {
  /** Values to return; default the graph's outputs. State values (`<rnn>/h`, `<rnn>/c`) may be asked for. */
  readonly fetch?: readonly string[];
}

/** A compiled model, ready to run many times. */
export interface Executable {
  readonly model: ValidModel;
  /**
   * Runs the model.
   * @throws BackendError when a feed is missing, has the wrong shape, or lengths are out of range.
   */
  run(feeds: Feeds, options?: RunOptions): Promise<Outputs>;
  dispose(): Promise<void>;
}

/** One training example batch. */
export interface TrainBatch {
  readonly inputs: Feeds;
  /** A float target shaped like the output (MSE), or int labels `[T, B]` / `[B]` (cross-entropy). */
  readonly target: Tensor | IntTensor;
}

/** The serializable state of an optimizer: step count and named slot tensors (e.g. `adam.m/<weight key>`). */
export interface OptimizerState {
  readonly step: number;
  readonly slots: Readonly<Record<string, Tensor>>;
}

/** Result of one training step. */
export interface StepResult {
  readonly loss: number;
  /** Global L2 norm of the gradients before clipping. */
  readonly gradNorm: number;
}

/** A model being trained by a backend. */
export interface Trainer {
  /**
   * Forward, backward and one optimizer update.
   * @throws BackendError on a bad batch; TrainingDivergedError-like errors are raised by `fit`, not here.
   */
  step(batch: TrainBatch): Promise<StepResult>;
  /** The loss on a batch without updating anything (dropout off). */
  evaluate(batch: TrainBatch): Promise<{ readonly loss: number }>;
  /** A copy of the current weights. */
  weights(): Weights;
  /** A copy of the optimizer state. */
  state(): OptimizerState;
  /** Replaces weights and optimizer state (resume from a checkpoint). */
  restore(weights: Weights, state: OptimizerState): void;
  /** Sets the learning rate used from the next step on (schedules). */
  setLearningRate(lr: number): void;
  dispose(): Promise<void>;
}

/** Gradients of a scalar loss, for the conformance suite and gradient checks. */
export interface Gradients {
  readonly loss: number;
  /** d loss / d weight, same keys and shapes as the weights. */
  readonly weights: Readonly<Record<string, Tensor>>;
  /** d loss / d input for every float feed (inputs and fed states), same shapes as the feeds. */
  readonly inputs: Readonly<Record<string, Tensor>>;
}

/** A backend: something that can run (and maybe train) a `ValidModel`. */
export interface Backend {
  /** `"js"`, `"tfjs"`, `"onnx"`, … */
  readonly name: string;
  /** Optional start-up (load a runtime); may throw — the registry then reports it and tries the next. */
  init?(): Promise<void>;
  /** `true`, or the reason this backend cannot run the node (shown to users and in test skips). */
  supports(node: LayerNode): true | string;
  /** Prepares a model for inference. @throws BackendError when a node is unsupported or weights mismatch. */
  compile(model: ValidModel, weights: Weights): Promise<Executable>;
  /** Prepares a model for training; absent on inference-only backends. */
  trainer?(model: ValidModel, weights: Weights, config: TrainConfig): Promise<Trainer>;
  /**
   * The loss on one batch and its gradients with respect to every weight and float feed, with no update and
   * dropout off; absent on inference-only backends. `config.optimizer` is ignored.
   */
  gradients?(
    model: ValidModel,
    weights: Weights,
    batch: TrainBatch,
    config: Pick<TrainConfig, "loss" | "output">,
  ): Promise<Gradients>;
}

/** A backend that trains: `trainer` and `gradients` are always present (backend-js, backend-tfjs). */
export type TrainingBackend = Backend & Required<Pick<Backend, "trainer" | "gradients">>;
