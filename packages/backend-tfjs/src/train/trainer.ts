/**
 * The tfjs backend's train engine behind core's Trainer (`createTrainer` in `@recurrent/core/engine`, which owns
 * truncated BPTT, the step count, learning rate, optimizer state naming, restore and dispose). Weights and slots
 * live in tf variables; a step is forward, loss, tfjs autodiff, clipping and the update rule in one `tf.tidy`,
 * and only the loss and the gradient norm are read back (plus the final states when truncated BPTT carries them).
 */
import type { Feeds, Rng, Tensor, TrainBatch, TrainConfig, Trainer, ValidModel, Weights } from "@recurrent/core";
import { stateOutputs } from "@recurrent/core";
import {
  createTrainer as createEngineTrainer,
  pickRule,
  type TrainEngine,
  type TrainEngineInit,
  type TrainStepOutcome,
  type TrainStepPlan,
} from "@recurrent/core/engine";
import { checkFeeds } from "../engine/feeds.js";
import { forward, uploadFeeds } from "../engine/forward.js";
import { lossAndGradients } from "../engine/loss-and-gradients.js";
import { concreteShape } from "../engine/shapes.js";
import { prepareLoss } from "../loss/loss.js";
import { type Runtime, read, readSync, tidyHost } from "../runtime.js";
import type { TfTensor, TfVariable } from "../tf.js";
import { clipByGlobalNorm, clipByValue, globalNorm } from "./clip.js";
import { tfjsRules } from "./rules.js";
import type { UpdateRule } from "./update-rule.js";

class TfjsTrainEngine implements TrainEngine {
  readonly #rt: Runtime;
  readonly #model: ValidModel;
  readonly #config: TrainEngineInit["config"];
  readonly #rule: UpdateRule;
  readonly #vars: Map<string, TfVariable>;
  /** Per weight, one variable per slot prefix (core names them). */
  readonly #slots: Map<string, TfVariable[]>;
  /**
   * Tensors derived from the weights of nodes whose every weight is frozen (transposed kernels, fused gates): made
   * once rather than on every step; emptied when the weights are replaced.
   */
  readonly #derived: { readonly cache: Map<string, TfTensor>; readonly nodes: ReadonlySet<string> };

  constructor(rt: Runtime, { model, weights, config, slots }: TrainEngineInit) {
    const { tf } = rt;
    this.#rt = rt;
    this.#model = model;
    this.#config = config;
    this.#rule = pickRule(config.optimizer, tfjsRules);
    this.#vars = new Map([...weights].map(([k, w]) => [k, tf.tidy(() => tf.variable(rt.upload(w), true))]));
    this.#slots = new Map(
      [...weights].map(([k, w]) => [k, slots.map(() => tf.tidy(() => tf.variable(tf.zeros([...w.shape]), false)))]),
    );
    const frozenNodes = new Set<string>();
    for (const [nodeId, specs] of model.info.params) {
      if (specs.length > 0 && specs.every((spec) => config.frozen.has(`${nodeId}/${spec.name}`)))
        frozenNodes.add(nodeId);
    }
    this.#derived = { cache: new Map(), nodes: frozenNodes };
  }

  #clearDerived(): void {
    for (const t of this.#derived.cache.values()) t.dispose();
    this.#derived.cache.clear();
  }

  async trainStep({ batch, rng, lr, step, carryStates }: TrainStepPlan): Promise<TrainStepOutcome> {
    const { loss, output, clipNorm, clipValue, frozen } = this.#config;
    const checked = checkFeeds(this.#model, batch.inputs);
    await this.#rt.activate();
    const { tf } = this.#rt;
    let kept = new Map<string, TfTensor>();
    const [lossT, normT] = tf.tidy(() => {
      // Frozen weights get no gradient at all, so they stay out of the norm, the clipping and the update, and
      // their slots stay zero (PyTorch: parameters left out of the optimizer and of clip_grad_norm_).
      const r = lossAndGradients(tf, this.#model, this.#vars, checked, batch.target, loss, {
        output,
        training: true,
        rng,
        states: carryStates,
        frozen,
        derived: this.#derived,
      });
      kept = new Map(r.states);
      const keys = [...r.weightGrads.keys()];
      let grads = [...r.weightGrads.values()];
      const norm = globalNorm(tf, grads);
      if (clipNorm !== undefined) grads = clipByGlobalNorm(tf, grads, clipNorm, norm);
      if (clipValue !== undefined) grads = clipByValue(tf, grads, clipValue);
      const next = keys.map((key, i) => {
        const p = this.#vars.get(key)!;
        const slots = this.#slots.get(key)!;
        return { p, slots, result: this.#rule.apply(tf, p, grads[i]!, slots, lr, step) };
      });
      // Assign only once every new value exists, so a failure leaves the weights as they were.
      for (const { p, slots, result } of next) {
        p.assign(result.param);
        slots.forEach((v, i) => {
          v.assign(result.slots[i]!);
        });
      }
      return [r.loss, norm];
    });
    try {
      const [lossValue, normValue] = await Promise.all([read(lossT!), read(normT!)]);
      const states = carryStates ? tidyHost(tf, () => download(kept)) : undefined;
      return { loss: lossValue[0]!, gradNorm: normValue[0]!, ...(states ? { states } : {}) };
    } finally {
      lossT!.dispose();
      normT!.dispose();
      for (const t of kept.values()) t.dispose();
    }
  }

  async carry(inputs: Feeds, rng: Rng): Promise<Record<string, Tensor>> {
    const checked = checkFeeds(this.#model, inputs);
    await this.#rt.activate();
    const { tf } = this.#rt;
    return tidyHost(tf, () => {
      const values = forward(tf, this.#model, this.#vars, uploadFeeds(tf, checked), {
        training: true,
        rng,
        derived: this.#derived.cache,
        derivedNodes: this.#derived.nodes,
      });
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

  async evaluate(batch: TrainBatch): Promise<number> {
    const { loss, output } = this.#config;
    const checked = checkFeeds(this.#model, batch.inputs);
    const lengthsName = this.#model.info.lengthsOf.get(output);
    const host = lengthsName === undefined ? undefined : checked.lengths.get(lengthsName)?.host;
    const lossFn = prepareLoss(loss, concreteShape(this.#model, checked, output), batch.target, host, output);
    await this.#rt.activate();
    const { tf } = this.#rt;
    const value = tf.tidy(() => {
      const feeds = uploadFeeds(tf, checked);
      const values = forward(tf, this.#model, this.#vars, feeds, {
        derived: this.#derived.cache,
        derivedNodes: this.#derived.nodes,
      });
      return lossFn(tf, values.get(output)!, lengthsName === undefined ? undefined : feeds.lengths.get(lengthsName));
    });
    try {
      return (await read(value))[0]!;
    } finally {
      value.dispose();
    }
  }

  readWeights(): Weights {
    const out: Record<string, Tensor> = {};
    for (const [key, v] of this.#vars) out[key] = { shape: [...v.shape], data: readSync(v) };
    return out;
  }

  writeWeights(weights: ReadonlyMap<string, Tensor>): void {
    const { tf } = this.#rt;
    this.#clearDerived();
    for (const [key, v] of this.#vars) tf.tidy(() => v.assign(this.#rt.upload(weights.get(key)!)));
  }

  readSlots(): Map<string, Float32Array[]> {
    return new Map([...this.#slots].map(([key, vars]) => [key, vars.map((v) => readSync(v))]));
  }

  writeSlots(slots: ReadonlyMap<string, readonly Float32Array[]>): void {
    const { tf } = this.#rt;
    for (const [key, vars] of this.#slots) {
      const from = slots.get(key)!;
      vars.forEach((v, i) => {
        tf.tidy(() => v.assign(tf.tensor(from[i]!, [...v.shape], "float32")));
      });
    }
  }

  dispose(): void {
    this.#clearDerived();
    for (const v of this.#vars.values()) v.dispose();
    for (const vars of this.#slots.values()) for (const v of vars) v.dispose();
  }
}

function download(states: ReadonlyMap<string, TfTensor>): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [key, t] of states) out[key] = { shape: [...t.shape], data: readSync(t) };
  return out;
}

/**
 * Makes a trainer for `model` starting from copies of `weights` (core's Trainer over the tfjs train engine).
 * @throws BackendError BAD_CONFIG naming the field when the config is invalid (see `resolveTrainConfig`),
 *   WEIGHTS when a weight is missing or misshaped, NON_FINITE when one is not finite.
 */
export function createTrainer(rt: Runtime, model: ValidModel, weights: Weights, config: TrainConfig): Promise<Trainer> {
  return createEngineTrainer(model, weights, config, async (init) => {
    await rt.activate();
    return new TfjsTrainEngine(rt, init);
  });
}
