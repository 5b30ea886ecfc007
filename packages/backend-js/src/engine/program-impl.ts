/**
 * The implementation behind `compileProgram` (see program.ts for the contract).
 */
import {
  BackendError,
  type FeedSizes,
  type Feeds,
  formatShape,
  type LayerNode,
  outputsOf,
  stateFeedSlots,
  type ValidModel,
  type Weights,
} from "@recurrent/core";
import { kernels } from "../kernels/index.js";
import { Buffers } from "./buffers.js";
import { type CheckedFeeds, checkFeeds } from "./feeds.js";
import type { BackwardContext, CompileEnv, Kernel, NodeRunner } from "./kernel.js";
import type { BackwardOptions, ForwardOptions, Grads, Program, Tape } from "./program.js";
import type { Value } from "./value.js";

/** Internal name of a fed initial state, apart from the rnn's final-state output of the same key. */
const fedState = (key: string) => `feed:${key}`;

interface Step {
  readonly node: LayerNode;
  /** Rebuilt by `setWeights` when the node's weights are packed once (frozen) and change. */
  runner: NodeRunner;
  /** The env the runner was built with (so it can be rebuilt). */
  readonly env: CompileEnv;
  /** Value names read, positional ("" for none); fed states resolved at run time. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** What forward reads, positional: an input node reads its feed, an rnn has all 3 slots ("" for none). */
  readonly reads: readonly string[];
  /** The initial-state feeds an rnn takes in place of `reads[slot]` when they are fed. */
  readonly fedStates: readonly { readonly key: string; readonly slot: 1 | 2; readonly name: string }[];
  /** The runner's input array, refilled by each forward (no runner keeps it), so a frame allocates none. */
  readonly args: (Value | undefined)[];
}

class TapeImpl implements Tape {
  constructor(
    readonly values: ReadonlyMap<string, Value>,
    readonly batch: number,
    readonly generation: number,
    readonly recorded: boolean,
    readonly checked: CheckedFeeds,
  ) {}

  /** The float feeds of the run: inputs, then fed states (only backward asks, so it is not built per run). */
  get feeds(): string[] {
    return [...this.checked.inputs.keys(), ...this.checked.states.keys()];
  }

  value(name: string): Value {
    const v = this.values.get(name);
    if (v === undefined) {
      throw new BackendError(
        "BAD_CONFIG",
        `no value "${name}" in this run; values: ${[...this.values.keys()].filter((k) => !k.startsWith("feed:")).join(", ")}`,
      );
    }
    return v;
  }
}

export class ProgramImpl implements Program {
  readonly model: ValidModel;
  readonly weights: ReadonlyMap<string, Float32Array>;
  readonly weightShapes: ReadonlyMap<string, readonly number[]>;
  readonly #steps: Step[];
  /** Nodes whose weights are packed once (`frozen`, or every param in `frozenWeights`), by id. */
  readonly #packedOnce = new Set<string>();
  readonly #grads: Map<string, Float32Array>;
  readonly #gradBufs = new Buffers();
  /** Values that depend on some trained (not frozen) weight: their gradients matter for weight gradients. */
  readonly #dependsOnWeights = new Set<string>();
  #generation = 0;

  constructor(model: ValidModel, weights: Weights, frozen: boolean, frozenWeights: ReadonlySet<string> = new Set()) {
    this.model = model;
    const live = new Map<string, Float32Array>();
    const shapes = new Map<string, readonly number[]>();
    for (const [nodeId, specs] of model.info.params) {
      for (const spec of specs) {
        const key = `${nodeId}/${spec.name}`;
        const w = weights[key];
        if (w === undefined) {
          throw new BackendError("WEIGHTS", `missing weight "${key}" of shape ${formatShape(spec.shape)}`, nodeId);
        }
        const size = spec.shape.reduce((a, d) => a * d, 1);
        const sameShape = w.shape.length === spec.shape.length && w.shape.every((d, i) => d === spec.shape[i]);
        if (!sameShape || w.data.length !== size) {
          throw new BackendError(
            "WEIGHTS",
            `weight "${key}" has shape ${formatShape(w.shape)} (${w.data.length} values), expected ${formatShape(spec.shape)}`,
            nodeId,
          );
        }
        live.set(key, Float32Array.from(w.data));
        shapes.set(key, [...spec.shape]);
      }
    }
    this.weights = live;
    this.weightShapes = shapes;
    this.#grads = new Map([...live].map(([k, w]) => [k, new Float32Array(w.length)]));
    this.#steps = model.nodes.map((node) => {
      const params = model.info.params.get(node.id) ?? [];
      const trained = params.some((p) => !frozenWeights.has(`${node.id}/${p.name}`));
      // A node training never changes packs its weights once, as inference does (a frozen STFT conv's 66k).
      const packOnce = frozen || (params.length > 0 && !trained);
      if (packOnce) this.#packedOnce.add(node.id);
      const env: CompileEnv = {
        inputShapes: node.inputs.map((name) => (name ? (model.info.shapes.get(name) ?? []) : [])),
        weight: (param) => {
          const w = live.get(`${node.id}/${param}`);
          if (w === undefined) throw new BackendError("WEIGHTS", `node "${node.id}" has no weight "${param}"`, node.id);
          return w;
        },
        frozen: packOnce,
      };
      const runner = (kernels[node.op] as Kernel<typeof node.op>)(node as never, env);
      if (trained || node.inputs.some((i) => this.#dependsOnWeights.has(i))) {
        for (const out of outputsOf(node)) this.#dependsOnWeights.add(out);
      }
      const reads = node.op === "input" ? [node.id] : [...node.inputs];
      if (node.op === "rnn") while (reads.length < 3) reads.push("");
      const fedStates =
        node.op === "rnn" ? stateFeedSlots(node).map(({ key, slot }) => ({ key, slot, name: fedState(key) })) : [];
      const args = reads.map(() => undefined);
      return { node, runner, env, inputs: node.inputs, outputs: outputsOf(node), reads, fedStates, args };
    });
  }

  forward(feeds: Feeds, options: ForwardOptions = {}, sizes?: FeedSizes): Tape {
    const checked = checkFeeds(this.model, feeds, sizes);
    const training = options.training ?? false;
    const record = options.record ?? true;
    const ctx = { training, rng: options.rng, record };
    const values = new Map<string, Value>();
    // Plain indexed loops and per-step arrays reused: streaming runs this once per frame.
    const steps = this.#steps;
    for (let s = 0; s < steps.length; s++) {
      const { reads, fedStates, args, outputs } = steps[s]!;
      for (let i = 0; i < reads.length; i++) {
        const name = reads[i]!;
        args[i] = name === "" ? undefined : (values.get(name) ?? checked.inputs.get(name));
      }
      for (let i = 0; i < fedStates.length; i++) {
        const fed = fedStates[i]!;
        const v = checked.states.get(fed.key);
        if (v === undefined) continue;
        values.set(fed.name, v);
        args[fed.slot] = v;
      }
      const outs = steps[s]!.runner.forward(args, ctx);
      for (let i = 0; i < outputs.length; i++) values.set(outputs[i]!, outs[i]!);
    }
    this.#generation++;
    return new TapeImpl(values, checked.batch, this.#generation, record, checked);
  }

  /** Positional value names a step reads this run (an input node reads its feed; an rnn may read fed states). */
  #resolveInputs(step: Step, values: ReadonlyMap<string, Value>, feeds: ReadonlyMap<string, Value>): string[] {
    const { node } = step;
    if (node.op === "input") return feeds.has(node.id) ? [node.id] : [""];
    const names = [...step.inputs];
    if (node.op === "rnn") {
      while (names.length < 3) names.push("");
      for (const { key, slot } of stateFeedSlots(node)) {
        if (values.has(fedState(key))) names[slot] = fedState(key);
      }
    }
    return names;
  }

  backward(tape: Tape, seeds: ReadonlyMap<string, Float32Array>, options: BackwardOptions = {}): Grads {
    if (!(tape instanceof TapeImpl) || tape.generation !== this.#generation) {
      throw new BackendError(
        "BAD_CONFIG",
        "backward: this tape is stale (another forward ran on the program since) or from another program",
      );
    }
    if (!tape.recorded) throw new BackendError("BAD_CONFIG", "backward: the forward ran with { record: false }");
    const wantInputs = options.inputGrads ?? true;
    for (const g of this.#grads.values()) g.fill(0);
    const acc = new Map<string, Float32Array>();
    const accumulator = (name: string): Float32Array => {
      let g = acc.get(name);
      if (g === undefined) {
        g = this.#gradBufs.zeros(name, tape.value(name).data.length);
        acc.set(name, g);
      }
      return g;
    };
    for (const [name, seed] of seeds) {
      const size = tape.value(name).data.length;
      if (seed.length !== size) {
        throw new BackendError(
          "BAD_CONFIG",
          `backward: seed "${name}" has ${seed.length} values, the value has ${size}`,
        );
      }
      addInto(accumulator(name), seed);
    }
    // Without input gradients, only values downstream of some weight need a gradient.
    const needs = (name: string) => name !== "" && (wantInputs || this.#dependsOnWeights.has(name));
    for (let s = this.#steps.length - 1; s >= 0; s--) {
      const step = this.#steps[s]!;
      if (step.node.op === "input") continue;
      const dOuts = step.outputs.map((name) => acc.get(name));
      if (dOuts.every((g) => g === undefined)) continue;
      const ins = this.#resolveInputs(step, tape.values, new Map());
      const ctx: BackwardContext = {
        inputGrad: (i) => {
          const name = ins[i] ?? "";
          return needs(name) ? accumulator(name) : undefined;
        },
        weightGrad: (param) => {
          const g = this.#grads.get(`${step.node.id}/${param}`);
          if (g === undefined) throw new BackendError("WEIGHTS", `node "${step.node.id}" has no weight "${param}"`);
          return g;
        },
      };
      step.runner.backward(dOuts, ctx);
    }
    const inputGrads = new Map<string, Float32Array>();
    if (wantInputs) {
      for (const feed of (tape as TapeImpl).feeds) {
        const name = tape.values.has(fedState(feed)) ? fedState(feed) : feed;
        inputGrads.set(feed, acc.get(name) ?? this.#gradBufs.zeros(name, tape.value(name).data.length));
      }
    }
    return { weightGrads: this.#grads, inputGrads };
  }

  setWeights(weights: Weights): void {
    const changed = new Set<string>();
    for (const [key, live] of this.weights) {
      const w = weights[key];
      const shape = this.weightShapes.get(key)!;
      if (w === undefined)
        throw new BackendError("WEIGHTS", `setWeights: missing weight "${key}" of shape ${formatShape(shape)}`);
      if (w.data.length !== live.length || w.shape.length !== shape.length || w.shape.some((d, i) => d !== shape[i])) {
        throw new BackendError(
          "WEIGHTS",
          `setWeights: weight "${key}" has shape ${formatShape(w.shape)}, expected ${formatShape(shape)}`,
        );
      }
      const nodeId = key.slice(0, key.lastIndexOf("/"));
      if (this.#packedOnce.has(nodeId) && !changed.has(nodeId) && w.data.some((v, i) => v !== live[i])) {
        changed.add(nodeId);
      }
      live.set(w.data);
    }
    if (changed.size === 0) return;
    // Weights packed once went stale: rebuild those runners (a restore; training never changes them). A tape
    // recorded before is then stale too.
    for (const step of this.#steps) {
      if (changed.has(step.node.id))
        step.runner = (kernels[step.node.op] as Kernel<LayerNode["op"]>)(step.node as never, step.env);
    }
    this.#generation++;
  }

  snapshotWeights(): Weights {
    const out: Record<string, { shape: readonly number[]; data: Float32Array }> = {};
    for (const [key, w] of this.weights) out[key] = { shape: [...this.weightShapes.get(key)!], data: w.slice() };
    return out;
  }
}

/**
 * `g += seed`, elementwise. A function of its own so that `backward` holds no hot loop: a loop makes V8 optimize
 * the whole method on its first call, inlining kernels whose call sites have no feedback yet, and every kernel
 * seen later deoptimized it again (each recompile 20–60 ms of a core, on every thread, for the first dozen steps).
 */
function addInto(g: Float32Array, seed: Float32Array): void {
  for (let i = 0; i < g.length; i++) g[i] = g[i]! + seed[i]!;
}
