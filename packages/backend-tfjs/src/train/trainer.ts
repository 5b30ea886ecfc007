/**
 * The tfjs backend's `Trainer`: weights live in tf variables; a step is forward, loss and tfjs autodiff in one
 * `tf.tidy`, then clipping and the optimizer update on the device. Only the loss and the gradient norm are read
 * back. Truncated BPTT carries each chunk's final states to the next as plain state feeds (no gradient flows
 * across a boundary).
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
import { checkFeeds } from "../engine/feeds.js";
import { forward, uploadFeeds } from "../engine/forward.js";
import { lossAndGradients } from "../engine/loss-and-gradients.js";
import { concreteShape } from "../engine/shapes.js";
import { checkWeights } from "../engine/weights.js";
import { prepareLoss } from "../loss/loss.js";
import { type Runtime, read, readSync, tidyHost } from "../runtime.js";
import type { TfTensor, TfVariable } from "../tf.js";
import { clipByGlobalNorm, clipByValue, globalNorm } from "./clip.js";
import { Optimizer } from "./optimizer.js";

interface Update {
  readonly loss: number;
  readonly gradNorm: number;
  readonly states: Readonly<Record<string, Tensor>> | undefined;
}

class TfjsTrainer implements Trainer {
  readonly #rt: Runtime;
  readonly #model: ValidModel;
  readonly #config: ResolvedTrainConfig;
  readonly #vars: Map<string, TfVariable>;
  readonly #optimizer: Optimizer;
  #disposed = false;

  constructor(rt: Runtime, model: ValidModel, weights: ReadonlyMap<string, Tensor>, config: ResolvedTrainConfig) {
    const { tf } = rt;
    this.#rt = rt;
    this.#model = model;
    this.#config = config;
    this.#vars = new Map([...weights].map(([k, w]) => [k, tf.tidy(() => tf.variable(rt.upload(w), true))]));
    this.#optimizer = new Optimizer(tf, config.optimizer, new Map([...weights].map(([k, w]) => [k, w.shape])));
  }

  async step(batch: TrainBatch): Promise<StepResult> {
    this.#live("step");
    const k = this.#config.truncateSteps;
    const { T } = checkTrainBatch(this.#model, batch, this.#config.loss, this.#config.output, k !== undefined);
    await this.#rt.activate();
    if (k === undefined || T === undefined) {
      const { loss, gradNorm } = await this.#update(batch, false);
      return { loss, gradNorm };
    }
    let states: Readonly<Record<string, Tensor>> | undefined;
    let lossSum = 0;
    let weightSum = 0;
    let gradNorm = 0;
    for (const chunk of chunkTrainBatch(this.#model, batch, T, k)) {
      const { frames, weight } = trainChunkWeight(this.#model, chunk, this.#config.output, this.#config.loss);
      // A chunk past every sample's end leaves the states as they are; one whose labels all weigh 0 teaches
      // nothing but still moves the states on (as backend-js does, so the two stay in step).
      if (frames === 0) continue;
      const inputs = states === undefined ? chunk.batch.inputs : { ...chunk.batch.inputs, ...states };
      if (weight === 0) {
        states = this.#carry(inputs);
        continue;
      }
      const update = await this.#update({ inputs, target: chunk.batch.target }, true);
      states = update.states;
      lossSum += update.loss * weight;
      weightSum += weight;
      gradNorm = Number.isNaN(update.gradNorm) ? Number.NaN : Math.max(gradNorm, update.gradNorm);
    }
    if (weightSum === 0) {
      throw new BackendError(
        "BAD_LENGTHS",
        "batch: every sample has length 0 or zero class weight; nothing to learn from",
      );
    }
    return { loss: lossSum / weightSum, gradNorm };
  }

  async evaluate(batch: TrainBatch): Promise<{ readonly loss: number }> {
    this.#live("evaluate");
    const { loss, output } = this.#config;
    checkTrainBatch(this.#model, batch, loss, output, false);
    const checked = checkFeeds(this.#model, batch.inputs);
    const lengthsName = this.#model.info.lengthsOf.get(output);
    const host = lengthsName === undefined ? undefined : checked.lengths.get(lengthsName)?.host;
    const lossFn = prepareLoss(loss, concreteShape(this.#model, checked, output), batch.target, host, output);
    await this.#rt.activate();
    const { tf } = this.#rt;
    const value = tf.tidy(() => {
      const feeds = uploadFeeds(tf, checked);
      const values = forward(tf, this.#model, this.#vars, feeds);
      return lossFn(tf, values.get(output)!, lengthsName === undefined ? undefined : feeds.lengths.get(lengthsName));
    });
    try {
      return { loss: (await read(value))[0]! };
    } finally {
      value.dispose();
    }
  }

  weights(): Weights {
    this.#live("weights");
    const out: Record<string, Tensor> = {};
    for (const [key, v] of this.#vars) out[key] = { shape: [...v.shape], data: readSync(v) };
    return out;
  }

  state(): OptimizerState {
    this.#live("state");
    return this.#optimizer.state();
  }

  restore(weights: Weights, state: OptimizerState): void {
    this.#live("restore");
    // Check the weights before the optimizer state changes, so a failed restore leaves the trainer as it was.
    for (const [key, v] of this.#vars) {
      const w = weights[key];
      if (!w || formatShape(w.shape) !== formatShape(v.shape) || w.data.length !== sizeOf(v.shape)) {
        throw new BackendError(
          "WEIGHTS",
          `restore: weight "${key}" is ${w ? formatShape(w.shape) : "missing"}, expected ${formatShape(v.shape)}`,
        );
      }
    }
    this.#optimizer.restore(state);
    const { tf } = this.#rt;
    for (const [key, v] of this.#vars) tf.tidy(() => v.assign(this.#rt.upload(weights[key]!)));
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
    if (this.#disposed) return;
    this.#disposed = true;
    for (const v of this.#vars.values()) v.dispose();
    this.#optimizer.dispose();
  }

  #live(method: string): void {
    if (this.#disposed) throw new BackendError("DISPOSED", `trainer.${method}(): the trainer was disposed`);
  }

  /** The final states after a forward pass over `inputs` (no update); dropout draws from its own stream. */
  #carry(inputs: TrainBatch["inputs"]): Record<string, Tensor> {
    const { tf } = this.#rt;
    const checked = checkFeeds(this.#model, inputs);
    const rng = createRng(this.#config.seed, `dropout/${this.#optimizer.step}/carry`);
    return tidyHost(tf, () => {
      const values = forward(tf, this.#model, this.#vars, uploadFeeds(tf, checked), { training: true, rng });
      const out: Record<string, Tensor> = {};
      for (const node of this.#model.nodes) {
        if (node.op !== "rnn") continue;
        for (const key of stateOutputs(node)) {
          const t = values.get(key)!;
          out[key] = { shape: [...t.shape], data: readSync(t) };
        }
      }
      return out;
    });
  }

  /** One forward/backward/clip/update. Dropout masks depend on (seed, update number) only, so a resume is exact. */
  async #update(batch: TrainBatch, carryStates: boolean): Promise<Update> {
    const { loss, output, seed, clipNorm, clipValue } = this.#config;
    const { tf } = this.#rt;
    const checked = checkFeeds(this.#model, batch.inputs);
    const rng = createRng(seed, `dropout/${this.#optimizer.step}`);
    let kept = new Map<string, TfTensor>();
    const [lossT, normT] = tf.tidy(() => {
      const r = lossAndGradients(tf, this.#model, this.#vars, checked, batch.target, loss, {
        output,
        training: true,
        rng,
        states: carryStates,
      });
      kept = new Map(r.states);
      const keys = [...r.weightGrads.keys()];
      let grads = [...r.weightGrads.values()];
      const norm = globalNorm(tf, grads);
      if (clipNorm !== undefined) grads = clipByGlobalNorm(tf, grads, clipNorm, norm);
      if (clipValue !== undefined) grads = clipByValue(tf, grads, clipValue);
      this.#optimizer.update(this.#vars, new Map(keys.map((key, i) => [key, grads[i]!])));
      return [r.loss, norm];
    });
    try {
      const [lossValue, normValue] = await Promise.all([read(lossT!), read(normT!)]);
      const states = carryStates ? tidyHost(tf, () => downloadStates(kept)) : undefined;
      return { loss: lossValue[0]!, gradNorm: normValue[0]!, states };
    } finally {
      lossT!.dispose();
      normT!.dispose();
      for (const t of kept.values()) t.dispose();
    }
  }
}

function downloadStates(states: ReadonlyMap<string, TfTensor>): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [key, t] of states) out[key] = { shape: [...t.shape], data: readSync(t) };
  return out;
}

/**
 * Makes a trainer for `model` starting from copies of `weights`.
 * @throws BackendError BAD_CONFIG naming the field when the config is invalid (see `resolveTrainConfig`),
 *   WEIGHTS when a weight is missing or misshaped.
 */
export async function createTrainer(
  rt: Runtime,
  model: ValidModel,
  weights: Weights,
  config: TrainConfig,
): Promise<Trainer> {
  const resolved = resolveTrainConfig(model, config);
  const checked = checkWeights(model, weights, "trainer");
  await rt.activate();
  return new TfjsTrainer(rt, model, checked, resolved);
}
