/**
 * The Trainer, written once for every training backend: config resolution, batch checks before anything
 * changes, truncated BPTT (chunks, the zero-weight carry rule, frame-weighted loss), the dropout stream of each
 * update, the step count, learning-rate changes, optimizer state naming, restore and dispose. A backend supplies
 * a {@link TrainEngine}: storage, the fused train step (forward, loss, backward, clipping and the update rule's
 * arithmetic in one go, so tfjs keeps one `tf.tidy` per step), a forward-only carry, and evaluation.
 */
import type { Feeds, OptimizerState, StepResult, TrainBatch, Trainer } from "../backend/backend.js";
import { BackendError } from "../backend/errors.js";
import type { ValidModel } from "../ir/valid-model.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkTrainBatch } from "../train/check-batch.js";
import type { TrainConfig } from "../train/config.js";
import { checkOptimizerState } from "../train/optimizer-config.js";
import { type ResolvedTrainConfig, resolveTrainConfig } from "../train/resolve-config.js";
import { chunkTrainBatch, trainChunkWeight } from "../train/tbptt.js";
import { createRng, type Rng } from "../weights/random.js";
import type { Weights } from "../weights/weights.js";
import { optimizerSlots } from "./optimizer.js";
import { checkEngineWeights } from "./weights.js";

/** What one fused train step is asked to do (see {@link TrainEngine.trainStep}). */
export interface TrainStepPlan {
  /** The batch; with truncated BPTT, one chunk with the previous chunk's final states among its inputs. */
  readonly batch: TrainBatch;
  /** Dropout masks draw from this (depends on the seed and the update number only, so a resume is exact). */
  readonly rng: Rng;
  /** Learning rate of this update. */
  readonly lr: number;
  /** 1-based number of this update (Adam's bias corrections). */
  readonly step: number;
  /** Return every rnn's final states `<id>/h`, `<id>/c` (truncated BPTT carries them to the next chunk). */
  readonly carryStates: boolean;
}

/** What one fused train step returns. */
export interface TrainStepOutcome {
  readonly loss: number;
  /** Global L2 norm of the gradients before clipping (NaN propagates). */
  readonly gradNorm: number;
  /** Host copies of the final states, when asked for. */
  readonly states?: Readonly<Record<string, Tensor>>;
}

/** What a training backend supplies (see {@link createTrainer}). */
export interface TrainEngine {
  /**
   * Forward with dropout, the loss (`config.loss` on `config.output`, masked by lengths), backward, the global
   * gradient norm, clipping (`config.clipNorm`, then `config.clipValue`, torch semantics) and one update of every
   * weight and its slots by the rule, in place.
   * @throws BackendError on bad feeds, before any weight changes.
   */
  trainStep(plan: TrainStepPlan): TrainStepOutcome | Promise<TrainStepOutcome>;
  /** Forward only, dropout on from `rng`: host copies of every rnn's final states (zero-weight chunks). */
  carry(inputs: Feeds, rng: Rng): Readonly<Record<string, Tensor>> | Promise<Readonly<Record<string, Tensor>>>;
  /** The loss on a batch, dropout off, nothing updated. */
  evaluate(batch: TrainBatch): number | Promise<number>;
  /** Host copies of the current weights, keyed `nodeId/param`. */
  readWeights(): Weights;
  /** Replaces every weight (checked by core: every key, exact shapes, finite). */
  writeWeights(weights: ReadonlyMap<string, Tensor>): void;
  /** Host copies of the slots of every weight, one per slot prefix in {@link TrainEngineInit.slots}' order. */
  readSlots(): ReadonlyMap<string, readonly Float32Array[]>;
  /** Replaces every slot (checked by core), same layout as {@link TrainEngine.readSlots}. */
  writeSlots(slots: ReadonlyMap<string, readonly Float32Array[]>): void;
  /** Releases what the engine holds; called once, after the step or evaluation in flight has settled. */
  dispose(): void | Promise<void>;
}

/** What a backend's engine factory receives. */
export interface TrainEngineInit {
  readonly model: ValidModel;
  /** The starting weights, checked (every parameter, exact shape, finite), in spec order; copy before mutating. */
  readonly weights: ReadonlyMap<string, Tensor>;
  /** The config with defaults filled in and the loss output resolved. */
  readonly config: ResolvedTrainConfig;
  /** The slot prefixes the rule keeps per weight, in order (see `optimizerSlots`); slots start at zero. */
  readonly slots: readonly string[];
}

/**
 * A Trainer over the engine that `makeEngine` builds.
 * @throws BackendError BAD_CONFIG naming the field when the config is invalid (see `resolveTrainConfig`);
 *   WEIGHTS or NON_FINITE when a weight is missing, misshaped or not finite.
 */
export async function createTrainer(
  model: ValidModel,
  weights: Weights,
  config: TrainConfig,
  makeEngine: (init: TrainEngineInit) => TrainEngine | Promise<TrainEngine>,
): Promise<Trainer> {
  const resolved = resolveTrainConfig(model, config);
  const checked = checkEngineWeights(model, weights, "trainer");
  const slots = optimizerSlots(resolved.optimizer);
  const engine = await makeEngine({ model, weights: checked, config: resolved, slots });
  return new EngineTrainer(model, resolved, slots, checked, engine);
}

class EngineTrainer implements Trainer {
  readonly #model: ValidModel;
  readonly #config: ResolvedTrainConfig;
  readonly #slots: readonly string[];
  readonly #shapes: ReadonlyMap<string, readonly number[]>;
  readonly #engine: TrainEngine;
  #lr: number;
  /** Updates applied so far. */
  #step = 0;
  #busy: Promise<unknown> = Promise.resolve();
  #disposing: Promise<void> | undefined;

  constructor(
    model: ValidModel,
    config: ResolvedTrainConfig,
    slots: readonly string[],
    weights: ReadonlyMap<string, Tensor>,
    engine: TrainEngine,
  ) {
    this.#model = model;
    this.#config = config;
    this.#slots = slots;
    this.#shapes = new Map([...weights].map(([key, w]) => [key, w.shape]));
    this.#engine = engine;
    this.#lr = config.optimizer.lr;
  }

  step(batch: TrainBatch): Promise<StepResult> {
    return this.#track("step", () => this.#trainStep(batch));
  }

  evaluate(batch: TrainBatch): Promise<{ readonly loss: number }> {
    return this.#track("evaluate", async () => {
      checkTrainBatch(this.#model, batch, this.#config.loss, this.#config.output, false);
      return { loss: await this.#engine.evaluate(batch) };
    });
  }

  weights(): Weights {
    this.#live("weights");
    return this.#engine.readWeights();
  }

  state(): OptimizerState {
    this.#live("state");
    const out: Record<string, Tensor> = {};
    for (const [key, buffers] of this.#engine.readSlots()) {
      const shape = this.#shapes.get(key)!;
      this.#slots.forEach((prefix, i) => {
        out[`${prefix}/${key}`] = { shape: [...shape], data: buffers[i]! };
      });
    }
    return { step: this.#step, slots: out };
  }

  restore(weights: Weights, state: OptimizerState): void {
    this.#live("restore");
    // Everything is checked before anything changes, so a failed restore leaves the trainer as it was.
    const checked = checkEngineWeights(this.#model, weights, "restore");
    const unknown = Object.keys(weights).filter((key) => !this.#shapes.has(key));
    if (unknown.length > 0) {
      throw new BackendError(
        "WEIGHTS",
        `restore: unknown weight(s) ${unknown.map((k) => `"${k}"`).join(", ")}; model "${this.#model.name}" ` +
          `has ${[...this.#shapes.keys()].join(", ")}`,
      );
    }
    checkOptimizerState(this.#config.optimizer.kind, this.#slots, this.#shapes, state);
    const slots = new Map<string, Float32Array[]>();
    for (const key of this.#shapes.keys()) {
      slots.set(
        key,
        this.#slots.map((prefix) => Float32Array.from(state.slots[`${prefix}/${key}`]!.data)),
      );
    }
    this.#engine.writeSlots(slots);
    this.#engine.writeWeights(checked);
    this.#step = state.step;
  }

  setLearningRate(lr: number): void {
    this.#live("setLearningRate");
    // 0 is allowed here (a schedule may decay to it, and torch.optim accepts it); a config's lr must be > 0.
    if (typeof lr !== "number" || !Number.isFinite(lr) || lr < 0) {
      throw new BackendError("BAD_CONFIG", `setLearningRate: lr must be a finite number >= 0, got ${lr}`);
    }
    this.#lr = lr;
  }

  dispose(): Promise<void> {
    this.#disposing ??= this.#busy.then(() => this.#engine.dispose());
    return this.#disposing;
  }

  #live(method: string): void {
    if (this.#disposing !== undefined) {
      throw new BackendError("DISPOSED", `trainer.${method}(): the trainer was disposed`);
    }
  }

  /** Runs `work` after the calls before it (an engine is not re-entrant); dispose waits for the last one. */
  #track<T>(method: string, work: () => Promise<T>): Promise<T> {
    try {
      this.#live(method);
    } catch (err) {
      return Promise.reject(err);
    }
    const result = this.#busy.then(work);
    this.#busy = result.catch(() => undefined);
    return result;
  }

  async #trainStep(batch: TrainBatch): Promise<StepResult> {
    const { loss, output, truncateSteps: k } = this.#config;
    const { T } = checkTrainBatch(this.#model, batch, loss, output, k !== undefined);
    if (k === undefined || T === undefined) {
      const { loss: value, gradNorm } = await this.#update(batch, false);
      return { loss: value, gradNorm };
    }
    let states: Readonly<Record<string, Tensor>> | undefined;
    let lossSum = 0;
    let weightSum = 0;
    let gradNorm = 0;
    let chunks = 0;
    let lastLoss = 0;
    for (const chunk of chunkTrainBatch(this.#model, batch, T, k)) {
      const { frames, weight } = trainChunkWeight(this.#model, chunk, output, loss);
      // A chunk past every sample's end leaves the states as they are; one whose labels all weigh 0 teaches
      // nothing but still moves the states on.
      if (frames === 0) continue;
      const inputs = states === undefined ? chunk.batch.inputs : { ...chunk.batch.inputs, ...states };
      if (weight === 0) {
        states = await this.#engine.carry(inputs, createRng(this.#config.seed, `dropout/${this.#step}/carry`));
        continue;
      }
      const update = await this.#update({ inputs, target: chunk.batch.target }, true);
      states = update.states;
      lossSum += update.loss * weight;
      weightSum += weight;
      chunks++;
      lastLoss = update.loss;
      gradNorm = Number.isNaN(update.gradNorm) ? Number.NaN : Math.max(gradNorm, update.gradNorm);
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

  /** One fused update; the step count moves only when it succeeded. */
  async #update(batch: TrainBatch, carryStates: boolean): Promise<TrainStepOutcome> {
    const rng = createRng(this.#config.seed, `dropout/${this.#step}`);
    const outcome = await this.#engine.trainStep({ batch, rng, lr: this.#lr, step: this.#step + 1, carryStates });
    this.#step += 1;
    return outcome;
  }
}
