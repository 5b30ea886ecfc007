/**
 * The JS backend's `Trainer`: forward, backward, clip, update on the engine's `Program`, whose live weight arrays
 * the optimizer updates in place.
 */
import {
  BackendError,
  checkTrainBatch,
  chunkTrainBatch,
  createRng,
  formatShape,
  type OptimizerState,
  type ResolvedTrainConfig,
  resolveTrainConfig,
  type StepResult,
  sizeOf,
  stateOutputs,
  type Tensor,
  type TrainBatch,
  type TrainConfig,
  type Trainer,
  trainChunkWeight,
  type ValidModel,
  type Weights,
} from "@recurrent/core";
import { evaluateLoss, lossAndGradients } from "../engine/loss-and-gradients.js";
import { compileProgram, type Program } from "../engine/program.js";
import { clipByGlobalNorm, clipByValue, globalNorm } from "./clip.js";
import { createOptimizer, type Optimizer } from "./optimizer.js";

interface Update {
  readonly loss: number;
  readonly gradNorm: number;
  readonly states: Readonly<Record<string, Tensor>>;
}

class JsTrainer implements Trainer {
  readonly #program: Program;
  readonly #config: ResolvedTrainConfig;
  readonly #optimizer: Optimizer;
  /** Our own copy of the gradients: the engine's arrays are reused by its next backward. */
  readonly #grads: Map<string, Float32Array>;
  #disposed = false;

  constructor(program: Program, config: ResolvedTrainConfig) {
    this.#program = program;
    this.#config = config;
    this.#optimizer = createOptimizer(config.optimizer, program.weightShapes);
    this.#grads = new Map([...program.weights].map(([key, w]) => [key, new Float32Array(w.length)]));
  }

  async step(batch: TrainBatch): Promise<StepResult> {
    this.#live("step");
    const { model } = this.#program;
    const k = this.#config.truncateSteps;
    const { T } = checkTrainBatch(model, batch, this.#config.loss, this.#config.output, k !== undefined);
    if (k === undefined || T === undefined) {
      const { loss, gradNorm } = this.#update(batch, undefined);
      return { loss, gradNorm };
    }
    let states: Readonly<Record<string, Tensor>> | undefined;
    let lossSum = 0;
    let weightSum = 0;
    let gradNorm = 0;
    let chunks = 0;
    let lastLoss = 0;
    for (const chunk of chunkTrainBatch(model, batch, T, k)) {
      const { frames, weight } = trainChunkWeight(model, chunk, this.#config.output, this.#config.loss);
      // A chunk past every sample's end leaves the states as they are; one whose labels all weigh 0 teaches
      // nothing but still moves the states on.
      if (frames === 0) continue;
      if (weight === 0) {
        states = this.#carry(chunk.batch, states);
        continue;
      }
      const update = this.#update(chunk.batch, states);
      states = update.states;
      lossSum += update.loss * weight;
      weightSum += weight;
      chunks++;
      lastLoss = update.loss;
      gradNorm = Math.max(gradNorm, update.gradNorm); // NaN propagates
    }
    if (weightSum === 0) {
      throw new BackendError(
        "BAD_LENGTHS",
        "batch: every sample has length 0 or zero class weight; nothing to learn from",
      );
    }
    // One chunk (k ≥ T): its loss as is, since (loss · w) / w can round off the last bit, and a chunk as long
    // as the batch must report exactly what full BPTT does.
    return { loss: chunks === 1 ? lastLoss : lossSum / weightSum, gradNorm };
  }

  async evaluate(batch: TrainBatch): Promise<{ readonly loss: number }> {
    this.#live("evaluate");
    checkTrainBatch(this.#program.model, batch, this.#config.loss, this.#config.output, false);
    return { loss: evaluateLoss(this.#program, batch, this.#config.loss, { output: this.#config.output }) };
  }

  weights(): Weights {
    this.#live("weights");
    return this.#program.snapshotWeights();
  }

  state(): OptimizerState {
    this.#live("state");
    return this.#optimizer.state();
  }

  restore(weights: Weights, state: OptimizerState): void {
    this.#live("restore");
    // Check the weights before the optimizer state changes, so a failed restore leaves the trainer as it was.
    for (const [key, shape] of this.#program.weightShapes) {
      const w = weights[key];
      if (!w || formatShape(w.shape) !== formatShape(shape) || w.data.length !== sizeOf(shape)) {
        throw new BackendError(
          "WEIGHTS",
          `restore: weight "${key}" is ${w ? formatShape(w.shape) : "missing"}, expected ${formatShape(shape)}`,
        );
      }
    }
    const unknown = Object.keys(weights).filter((key) => !this.#program.weightShapes.has(key));
    if (unknown.length > 0) {
      throw new BackendError(
        "WEIGHTS",
        `restore: unknown weight(s) ${unknown.map((k) => `"${k}"`).join(", ")}; model "${this.#program.model.name}" ` +
          `has ${[...this.#program.weightShapes.keys()].join(", ")}`,
      );
    }
    this.#optimizer.restore(state);
    this.#program.setWeights(weights);
  }

  setLearningRate(lr: number): void {
    this.#live("setLearningRate");
    // 0 is allowed here (a schedule may decay to it, and torch.optim accepts it); a config's lr must be > 0.
    if (typeof lr !== "number" || !Number.isFinite(lr) || lr < 0) {
      throw new BackendError("BAD_CONFIG", `setLearningRate: lr must be a finite number >= 0, got ${lr}`);
    }
    this.#optimizer.lr = lr;
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
  }

  #live(method: string): void {
    if (this.#disposed) throw new BackendError("DISPOSED", `trainer.${method}(): the trainer was disposed`);
  }

  /** One forward/backward/clip/update. Dropout masks depend on (seed, update number) only, so a resume is exact. */
  #update(batch: TrainBatch, initialStates: Readonly<Record<string, Tensor>> | undefined): Update {
    const { loss, output, seed, clipNorm, clipValue } = this.#config;
    const rng = createRng(seed, `dropout/${this.#optimizer.step}`);
    const result = lossAndGradients(this.#program, batch, loss, {
      output,
      training: true,
      rng,
      inputGrads: false,
      ...(initialStates ? { initialStates } : {}),
    });
    for (const [key, g] of this.#grads) {
      const source = result.weightGrads.get(key);
      if (!source || source.length !== g.length) {
        throw new BackendError("WEIGHTS", `trainer: the engine returned no gradient of the right size for "${key}"`);
      }
      g.set(source);
    }
    const buffers = [...this.#grads.values()];
    const gradNorm = globalNorm(buffers);
    if (clipNorm !== undefined) clipByGlobalNorm(buffers, clipNorm, gradNorm);
    if (clipValue !== undefined) clipByValue(buffers, clipValue);
    this.#optimizer.update(this.#program.weights, this.#grads);
    return { loss: result.loss, gradNorm, states: result.states };
  }

  /** Runs a chunk forward only, for the final states it hands to the next chunk. */
  #carry(batch: TrainBatch, states: Readonly<Record<string, Tensor>> | undefined): Record<string, Tensor> {
    const rng = createRng(this.#config.seed, `dropout/${this.#optimizer.step}/carry`);
    const tape = this.#program.forward({ ...batch.inputs, ...states }, { training: true, rng, record: false });
    const out: Record<string, Tensor> = {};
    for (const node of this.#program.model.nodes) {
      if (node.op !== "rnn") continue;
      for (const name of stateOutputs(node)) {
        const v = tape.value(name);
        out[name] = { shape: [...v.shape], data: v.data.slice() };
      }
    }
    return out;
  }
}

/**
 * Makes a trainer for `model` starting from copies of `weights`.
 * @throws BackendError BAD_CONFIG naming the field when the config is invalid (see `resolveTrainConfig`),
 *   WEIGHTS when a weight is missing or misshaped.
 */
export async function createTrainer(model: ValidModel, weights: Weights, config: TrainConfig): Promise<Trainer> {
  const resolved = resolveTrainConfig(model, config);
  return new JsTrainer(compileProgram(model, weights), resolved);
}
