/**
 * The tfjs backend object: `init` starts TensorFlow.js, `compile` for inference, `gradients` for checks,
 * `trainer` (from `src/train/`).
 */
import type {
  Backend,
  Executable,
  Gradients,
  LayerNode,
  TrainBatch,
  TrainConfig,
  Trainer,
  TrainingBackend,
  ValidModel,
  Weights,
} from "@recurrent/core";
import { checkEngineWeights, createExecutable } from "@recurrent/core/engine";
import { TfjsInference } from "./executable.js";
import { computeGradients } from "./gradients.js";
import { Runtime } from "./runtime.js";
import type { TfjsBackendOptions } from "./setup.js";
import { createTrainer } from "./train/trainer.js";

class TfjsBackend implements Backend {
  readonly name = "tfjs";
  readonly #options: TfjsBackendOptions;
  #runtime: Promise<Runtime> | undefined;

  constructor(options: TfjsBackendOptions) {
    this.#options = options;
  }

  /** Starts tfjs once; a failed start is forgotten so that a later call can retry. */
  #start(): Promise<Runtime> {
    if (this.#runtime === undefined) {
      const started = Runtime.start(this.#options);
      this.#runtime = started;
      started.catch(() => {
        if (this.#runtime === started) this.#runtime = undefined;
      });
    }
    return this.#runtime;
  }

  async init(): Promise<void> {
    await this.#start();
  }

  supports(_node: LayerNode): true {
    return true;
  }

  async compile(model: ValidModel, weights: Weights): Promise<Executable> {
    const checked = checkEngineWeights(model, weights, "compile");
    const rt = await this.#start();
    await rt.activate();
    return createExecutable(model, new TfjsInference(rt, model, checked));
  }

  async trainer(model: ValidModel, weights: Weights, config: TrainConfig): Promise<Trainer> {
    return createTrainer(await this.#start(), model, weights, config);
  }

  async gradients(
    model: ValidModel,
    weights: Weights,
    batch: TrainBatch,
    config: Pick<TrainConfig, "loss" | "output">,
  ): Promise<Gradients> {
    return computeGradients(await this.#start(), model, weights, batch, config);
  }
}

/**
 * The TensorFlow.js backend (name `"tfjs"`): runs every op of the IR on tfjs ops, computes gradients through
 * tfjs autodiff and trains. A factory with no side effects: tfjs is loaded and its backend selected by `init()`
 * (or the first `compile` / `trainer` / `gradients`).
 * @example
 * const backend = tfjsBackend({ backend: "wasm" });
 * await backend.init();                     // throws BackendError NO_BACKEND when wasm cannot start
 * const exe = await backend.compile(assertValid(model, weights), weights);
 * const { out } = await exe.run({ mfcc: x, lengths });
 */
export function tfjsBackend(options: TfjsBackendOptions = {}): TrainingBackend {
  return new TfjsBackend(options);
}
