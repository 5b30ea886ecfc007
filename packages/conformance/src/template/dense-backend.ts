/**
 * The smallest backend that docs/writing-a-backend.md describes, kept here so that the compiler and a test check
 * the page against the code (the page shows this file verbatim): dense layers on plain Float32Arrays, inference,
 * gradients and training, with everything else (checks, dispose, TBPTT, optimizer state) from core's engine.
 */
import {
  type Backend,
  BackendError,
  type FeedSizes,
  type Feeds,
  type Gradients,
  type LayerNode,
  mseTargetData,
  type NodeOf,
  type Outputs,
  type Tensor,
  type TrainBatch,
  type TrainingBackend,
  type ValidModel,
  type Weights,
} from "@recurrent/core";
import {
  checkEngineWeights,
  computeGradients,
  createExecutable,
  createTrainer,
  type InferenceEngine,
  pickRule,
  type TrainEngine,
  type TrainEngineInit,
  type TrainStepPlan,
  type UpdateRules,
} from "@recurrent/core/engine";

// Step 1: say what the kernels cover. A case or check that needs more is skipped with this reason.
function supports(node: LayerNode): true | string {
  if (node.op === "input") return true;
  if (node.op === "dense") return node.activation === "softmax" ? "the template backend has no softmax" : true;
  return `the template backend runs input and dense only; "${node.op}" is left out on purpose`;
}

// Step 2: kernels. A value is rows × features (time and batch flattened); padded frames are zeroed afterwards.
type Act = NodeOf<"dense">["activation"];
const act: Record<Exclude<Act, "softmax">, (z: number) => number> = {
  linear: (z) => z,
  tanh: Math.tanh,
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  relu: (z) => Math.max(z, 0),
};
/** d act / d z from the activation's output y. */
const dAct: Record<Exclude<Act, "softmax">, (y: number) => number> = {
  linear: () => 1,
  tanh: (y) => 1 - y * y,
  sigmoid: (y) => y * (1 - y),
  relu: (y) => (y > 0 ? 1 : 0),
};

interface Value {
  readonly shape: readonly number[];
  readonly data: Float32Array;
  /** The lengths masking a sequence value's frames. */
  readonly lengths: Int32Array | undefined;
}

function dense(node: NodeOf<"dense">, x: Value, w: ReadonlyMap<string, Float32Array>): Value {
  const I = x.shape.at(-1)!;
  const O = node.units;
  const rows = x.data.length / I;
  const W = w.get(`${node.id}/weight`)!;
  const b = w.get(`${node.id}/bias`);
  const f = act[node.activation as Exclude<Act, "softmax">];
  const y = new Float32Array(rows * O);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < O; o++) {
      let z = b ? b[o]! : 0;
      for (let i = 0; i < I; i++) z += x.data[r * I + i]! * W[o * I + i]!;
      y[r * O + o] = f(z);
    }
  }
  return zeroPadded({ shape: [...x.shape.slice(0, -1), O], data: y, lengths: x.lengths });
}

/** Padded frames hold zeros, so they never reach a loss or a gradient. */
function zeroPadded(v: Value): Value {
  if (v.lengths === undefined || v.shape.length !== 3) return v;
  const [T, B, F] = v.shape as [number, number, number];
  for (let b = 0; b < B; b++)
    for (let t = v.lengths[b]!; t < T; t++) v.data.fill(0, (t * B + b) * F, (t * B + b + 1) * F);
  return v;
}

/** Every value of the graph, in topological order (a ValidModel's nodes are). */
function forward(model: ValidModel, w: ReadonlyMap<string, Float32Array>, feeds: Feeds): Map<string, Value> {
  const values = new Map<string, Value>();
  for (const node of model.nodes) {
    if (node.op === "input") {
      const x = feeds[node.id] as Tensor;
      const lengths = node.lengths === undefined ? undefined : (feeds[node.lengths] as Int32Array);
      values.set(node.id, zeroPadded({ shape: x.shape, data: x.data.slice(), lengths }));
    } else if (node.op === "dense") {
      values.set(node.id, dense(node, values.get(node.inputs[0]!)!, w));
    }
  }
  return values;
}

// Step 3: losses. MSE over valid frames (core's LossKind "mse"); d loss / d y for backward.
function mse(y: Value, target: TrainBatch["target"], output: string): { loss: number; grad: Float32Array } {
  const t = mseTargetData(y.shape, target, output);
  const F = y.shape.at(-1)!;
  const grad = new Float32Array(y.data.length);
  const rows = y.data.length / F;
  const B = y.shape.length === 3 ? y.shape[1]! : rows;
  let count = 0;
  for (let r = 0; r < rows; r++) if (y.lengths === undefined || Math.floor(r / B) < y.lengths[r % B]!) count += F;
  let sum = 0;
  for (let r = 0; r < rows; r++) {
    if (y.lengths !== undefined && Math.floor(r / B) >= y.lengths[r % B]!) continue;
    for (let j = 0; j < F; j++) {
      const d = y.data[r * F + j]! - t[r * F + j]!;
      sum += d * d;
      grad[r * F + j] = (2 * d) / count;
    }
  }
  return { loss: count === 0 ? 0 : sum / count, grad };
}

/** Loss and d loss / d weight (and / d input) by backpropagation through the dense layers. */
function lossAndGrads(model: ValidModel, w: ReadonlyMap<string, Float32Array>, batch: TrainBatch, output: string) {
  const values = forward(model, w, batch.inputs);
  const { loss, grad } = mse(values.get(output)!, batch.target, output);
  const dValues = new Map<string, Float32Array>([[output, grad]]);
  const dWeights = new Map([...w].map(([k, v]) => [k, new Float32Array(v.length)]));
  for (const node of [...model.nodes].reverse()) {
    const dy = dValues.get(node.id);
    if (node.op !== "dense" || dy === undefined) continue;
    const x = values.get(node.inputs[0]!)!;
    const y = values.get(node.id)!;
    const I = x.shape.at(-1)!;
    const O = node.units;
    const W = w.get(`${node.id}/weight`)!;
    const dW = dWeights.get(`${node.id}/weight`)!;
    const db = dWeights.get(`${node.id}/bias`);
    const dx = dValues.get(node.inputs[0]!) ?? new Float32Array(x.data.length);
    const g = dAct[node.activation as Exclude<Act, "softmax">];
    for (let r = 0; r < x.data.length / I; r++) {
      for (let o = 0; o < O; o++) {
        const dz = dy[r * O + o]! * g(y.data[r * O + o]!);
        if (db) db[o] = db[o]! + dz;
        for (let i = 0; i < I; i++) {
          dW[o * I + i] = dW[o * I + i]! + dz * x.data[r * I + i]!;
          dx[r * I + i] = dx[r * I + i]! + dz * W[o * I + i]!;
        }
      }
    }
    dValues.set(node.inputs[0]!, dx);
  }
  return { loss, dWeights, dValues, values };
}

// Step 4: update rules: the arithmetic only; core names the slots and counts the steps.
type Rule = (p: Float32Array, g: Float32Array, slots: readonly Float32Array[], lr: number, step: number) => void;
const rules: UpdateRules<Rule> = {
  sgd:
    ({ momentum, nesterov, weightDecay }) =>
    (p, g, [buf], lr) => {
      for (let i = 0; i < p.length; i++) {
        const d = g[i]! + weightDecay * p[i]!;
        if (buf === undefined) p[i] = p[i]! - lr * d;
        else {
          buf[i] = momentum * buf[i]! + d;
          p[i] = p[i]! - lr * (nesterov ? d + momentum * buf[i]! : buf[i]!);
        }
      }
    },
  rmsprop:
    ({ rho, eps, momentum, weightDecay }) =>
    (p, g, [s, buf], lr) => {
      for (let i = 0; i < p.length; i++) {
        const d = g[i]! + weightDecay * p[i]!;
        s![i] = rho * s![i]! + (1 - rho) * d * d;
        const scaled = d / (Math.sqrt(s![i]!) + eps);
        if (buf === undefined || momentum === 0) p[i] = p[i]! - lr * scaled;
        else {
          buf[i] = momentum * buf[i]! + scaled;
          p[i] = p[i]! - lr * buf[i]!;
        }
      }
    },
  adam:
    ({ beta1, beta2, eps, weightDecay }) =>
    (p, g, [m, v], lr, step) => {
      const stepSize = lr / (1 - beta1 ** step);
      const c2 = Math.sqrt(1 - beta2 ** step);
      for (let i = 0; i < p.length; i++) {
        const d = g[i]! + weightDecay * p[i]!;
        m![i] = beta1 * m![i]! + (1 - beta1) * d;
        v![i] = beta2 * v![i]! + (1 - beta2) * d * d;
        p[i] = p[i]! - (stepSize * m![i]!) / (Math.sqrt(v![i]!) / c2 + eps);
      }
    },
};

// Step 5: the engines core wraps. Inference: fetched values from feeds core has checked.
class DenseInference implements InferenceEngine {
  constructor(
    readonly model: ValidModel,
    readonly weights: ReadonlyMap<string, Float32Array>,
  ) {}
  run(feeds: Feeds, fetch: readonly string[], _sizes: FeedSizes): Outputs {
    const values = forward(this.model, this.weights, feeds);
    return Object.fromEntries(
      fetch.map((name) => [name, { shape: [...values.get(name)!.shape], data: values.get(name)!.data }]),
    );
  }
  dispose(): void {}
}

// Training: one fused step (forward, loss, backward, clipping, update), a forward-only carry, and storage.
class DenseTraining implements TrainEngine {
  readonly #w: Map<string, Float32Array>;
  readonly #slots: Map<string, Float32Array[]>;
  readonly #rule: Rule;
  constructor(readonly init: TrainEngineInit) {
    if (init.config.loss.kind !== "mse")
      throw new BackendError("BAD_CONFIG", "the template backend trains with mse only");
    this.#w = new Map([...init.weights].map(([k, t]) => [k, t.data.slice()]));
    this.#slots = new Map([...this.#w].map(([k, w]) => [k, init.slots.map(() => new Float32Array(w.length))]));
    this.#rule = pickRule(init.config.optimizer, rules);
  }
  trainStep({ batch, lr, step }: TrainStepPlan) {
    const { model, config } = this.init;
    const { loss, dWeights } = lossAndGrads(model, this.#w, batch, config.output);
    let sq = 0;
    for (const g of dWeights.values()) for (const v of g) sq += v * v;
    const gradNorm = Math.sqrt(sq);
    const scale = config.clipNorm !== undefined ? Math.min(1, config.clipNorm / (gradNorm + 1e-6)) : 1;
    for (const [key, g] of dWeights) {
      for (let i = 0; i < g.length; i++) {
        const v = g[i]! * scale;
        g[i] = config.clipValue === undefined ? v : Math.max(-config.clipValue, Math.min(config.clipValue, v));
      }
      this.#rule(this.#w.get(key)!, g, this.#slots.get(key)!, lr, step);
    }
    return { loss, gradNorm };
  }
  carry(): Record<string, Tensor> {
    return {}; // no recurrent state to carry
  }
  evaluate(batch: TrainBatch): number {
    const output = this.init.config.output;
    return mse(forward(this.init.model, this.#w, batch.inputs).get(output)!, batch.target, output).loss;
  }
  readWeights(): Weights {
    return Object.fromEntries(
      [...this.#w].map(([k, d]) => [k, { shape: [...this.init.weights.get(k)!.shape], data: d.slice() }]),
    );
  }
  writeWeights(weights: ReadonlyMap<string, Tensor>): void {
    for (const [k, w] of this.#w) w.set(weights.get(k)!.data);
  }
  readSlots(): Map<string, Float32Array[]> {
    return new Map([...this.#slots].map(([k, s]) => [k, s.map((b) => b.slice())]));
  }
  writeSlots(slots: ReadonlyMap<string, readonly Float32Array[]>): void {
    for (const [k, s] of this.#slots)
      s.forEach((b, i) => {
        b.set(slots.get(k)![i]!);
      });
  }
  dispose(): void {}
}

// Step 6: the backend object. Core checks weights, fetch, feeds, batch 0, dispose and the training config.
export function denseBackend(): TrainingBackend {
  const backend: Backend & TrainingBackend = {
    name: "dense-template",
    supports,
    async compile(model, weights) {
      const checked = checkEngineWeights(model, weights, "compile");
      return createExecutable(model, new DenseInference(model, new Map([...checked].map(([k, t]) => [k, t.data]))));
    },
    trainer: (model, weights, config) => createTrainer(model, weights, config, (init) => new DenseTraining(init)),
    gradients: (model, weights, batch, config): Promise<Gradients> =>
      computeGradients(model, weights, batch, config, ({ weights: checked, output, loss }) => {
        if ((typeof loss === "string" ? loss : loss.kind) !== "mse") throw new BackendError("BAD_CONFIG", "mse only");
        const w = new Map([...checked].map(([k, t]) => [k, t.data]));
        const r = lossAndGrads(model, w, batch, output);
        const tensor = (data: Float32Array, shape: readonly number[]) => ({ shape: [...shape], data });
        const inputs = model.nodes.filter((n) => n.op === "input").map((n) => n.id);
        return {
          loss: r.loss,
          weights: Object.fromEntries([...r.dWeights].map(([k, g]) => [k, tensor(g, checked.get(k)!.shape)])),
          inputs: Object.fromEntries(
            inputs.map((id) => {
              const x = batch.inputs[id] as Tensor;
              return [id, tensor(r.dValues.get(id) ?? new Float32Array(x.data.length), x.shape)];
            }),
          ),
        };
      }),
  };
  return backend;
}
