/**
 * The JS backend's train engine behind core's Trainer (`createTrainer` in `@recurrent/core/engine`, which owns
 * truncated BPTT, the step count, learning rate, optimizer state naming, restore and dispose): forward, backward,
 * clipping and the update rule on the engine's `Program`, whose live weight arrays the rule updates in place.
 */
import {
  BackendError,
  type Feeds,
  type Rng,
  stateOutputs,
  type Tensor,
  type TrainBatch,
  type TrainConfig,
  type Trainer,
  type ValidModel,
  type Weights,
} from "@recurrent/core";
import {
  createTrainer as createEngineTrainer,
  pickRule,
  type TrainEngine,
  type TrainEngineInit,
  type TrainStepOutcome,
  type TrainStepPlan,
} from "@recurrent/core/engine";
import { evaluateLoss, lossAndGradients } from "../engine/loss-and-gradients.js";
import { compileProgram, type Program } from "../engine/program.js";
import { DataParallel } from "../threads/data-parallel.js";
import { clipByGlobalNorm, clipByValue, globalNorm } from "./clip.js";
import { jsRules } from "./rules.js";
import type { UpdateRule } from "./update-rule.js";

class JsTrainEngine implements TrainEngine {
  readonly #program: Program;
  readonly #config: TrainEngineInit["config"];
  readonly #rule: UpdateRule;
  /** Per weight, one buffer per slot prefix (core names them). */
  readonly #slots: Map<string, Float32Array[]>;
  /**
   * Our own copy of the gradients of the weights training updates (the engine's arrays are reused by its next
   * backward). Frozen weights are left out, so they are in neither the norm nor clipping nor the update.
   */
  readonly #grads: Map<string, Float32Array>;
  readonly #gradList: Float32Array[];

  /** Splits batches of 32 samples or more into shards, run on `threads` threads (same result for any count). */
  readonly #parallel: DataParallel;

  constructor({ model, weights, config, slots }: TrainEngineInit, threads: number) {
    const options = { frozenWeights: config.frozen };
    this.#program = compileProgram(model, Object.fromEntries(weights), options);
    this.#parallel = new DataParallel(model, this.#program, options, config, threads);
    this.#config = config;
    this.#rule = pickRule(config.optimizer, jsRules);
    // Every weight has slots (core saves and restores them all); a frozen weight's stay zero.
    this.#slots = new Map([...this.#program.weights].map(([k, w]) => [k, slots.map(() => new Float32Array(w.length))]));
    const trained = [...this.#program.weights].filter(([key]) => !config.frozen.has(key));
    this.#grads = new Map(trained.map(([key, w]) => [key, new Float32Array(w.length)]));
    this.#gradList = [...this.#grads.values()];
  }

  trainStep({ batch, rng, lr, step, carryStates }: TrainStepPlan): TrainStepOutcome | Promise<TrainStepOutcome> {
    const sharded = this.#parallel.gradients(batch, rng, carryStates, this.#grads);
    if (sharded !== undefined) return sharded.then(({ loss, states }) => this.#update(loss, states, lr, step));
    const { loss, output } = this.#config;
    const result = lossAndGradients(this.#program, batch, loss, { output, training: true, rng, inputGrads: false });
    for (const [key, g] of this.#grads) {
      const source = result.weightGrads.get(key);
      if (!source || source.length !== g.length) {
        throw new BackendError("WEIGHTS", `trainer: the engine returned no gradient of the right size for "${key}"`);
      }
      g.set(source);
    }
    return this.#update(result.loss, result.states, lr, step);
  }

  /** Clipping and the update rule, from the gradients in `#grads`. */
  #update(loss: number, states: Readonly<Record<string, Tensor>>, lr: number, step: number): TrainStepOutcome {
    const { clipNorm, clipValue } = this.#config;
    const gradNorm = globalNorm(this.#gradList);
    if (clipNorm !== undefined) clipByGlobalNorm(this.#gradList, clipNorm, gradNorm);
    if (clipValue !== undefined) clipByValue(this.#gradList, clipValue);
    for (const [key, g] of this.#grads) {
      this.#rule.apply(this.#program.weights.get(key)!, g, this.#slots.get(key)!, lr, step);
    }
    return { loss, gradNorm, states };
  }

  carry(inputs: Feeds, rng: Rng): Record<string, Tensor> {
    const tape = this.#program.forward(inputs, { training: true, rng, record: false });
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

  evaluate(batch: TrainBatch): number {
    return evaluateLoss(this.#program, batch, this.#config.loss, { output: this.#config.output });
  }

  readWeights(): Weights {
    return this.#program.snapshotWeights();
  }

  writeWeights(weights: ReadonlyMap<string, Tensor>): void {
    this.#program.setWeights(Object.fromEntries(weights));
  }

  readSlots(): Map<string, Float32Array[]> {
    return new Map([...this.#slots].map(([key, buffers]) => [key, buffers.map((b) => b.slice())]));
  }

  writeSlots(slots: ReadonlyMap<string, readonly Float32Array[]>): void {
    for (const [key, buffers] of this.#slots) {
      const from = slots.get(key)!;
      for (let i = 0; i < buffers.length; i++) buffers[i]!.set(from[i]!);
    }
  }

  dispose(): Promise<void> {
    return this.#parallel.dispose();
  }
}

/**
 * Makes a trainer for `model` starting from copies of `weights` (core's Trainer over the JS train engine).
 * `threads` (default 1): threads a batch's shards run on (`threads/`; the result does not depend on it).
 * @throws BackendError BAD_CONFIG naming the field when the config is invalid (see `resolveTrainConfig`),
 *   WEIGHTS when a weight is missing or misshaped, NON_FINITE when one is not finite.
 */
export function createTrainer(
  model: ValidModel,
  weights: Weights,
  config: TrainConfig,
  options: { readonly threads?: number } = {},
): Promise<Trainer> {
  return createEngineTrainer(model, weights, config, (init) => new JsTrainEngine(init, options.threads ?? 1));
}
