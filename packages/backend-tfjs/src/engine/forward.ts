/**
 * Runs a validated graph on TensorFlow.js ops: uploads checked feeds, then calls each node's kernel in
 * (topological) node order. Must be called inside `tf.tidy` or a gradient function; everything it creates is
 * owned by that scope.
 */
import { BackendError, outputsOf, type Rng, stateFeedSlots, type ValidModel } from "@recurrent/core";
import { kernels } from "../kernels/index.js";
import type { Tf, TfTensor } from "../tf.js";
import type { CheckedFeeds } from "./feeds.js";
import type { Kernel, KernelContext } from "./kernel.js";
import { Lengths } from "./lengths.js";
import { Release } from "./release.js";

/** Feeds as tensors: inputs by id, fed states by `<rnnId>/h|c`, lengths by lengths-feed name. */
export interface FeedTensors {
  readonly inputs: ReadonlyMap<string, TfTensor>;
  readonly states: ReadonlyMap<string, TfTensor>;
  readonly lengths: ReadonlyMap<string, Lengths>;
}

/** Uploads checked feeds (each becomes a tensor of the current scope). */
export function uploadFeeds(tf: Tf, checked: CheckedFeeds): FeedTensors {
  const up = (m: ReadonlyMap<string, { shape: readonly number[]; data: Float32Array }>) =>
    new Map([...m].map(([k, t]) => [k, tf.tensor(t.data, [...t.shape], "float32")]));
  const lengths = new Map([...checked.lengths].map(([k, l]) => [k, new Lengths(tf, l.host, l.T)]));
  return { inputs: up(checked.inputs), states: up(checked.states), lengths };
}

/** Options of {@link forward}. */
export interface ForwardOptions {
  /** Dropout active (default false); then `rng` is required when the model has dropout. */
  readonly training?: boolean;
  readonly rng?: Rng;
  /**
   * Frozen weights: tensors derived from them are kept here across runs (each `tf.keep`-ed; the owner disposes
   * them). Absent: derived tensors are rebuilt inside the run, on the gradient tape.
   */
  readonly derived?: Map<string, TfTensor>;
  /** Only these nodes' derived tensors go to `derived` (a trainer's frozen nodes); absent: every node's. */
  readonly derivedNodes?: ReadonlySet<string>;
  /**
   * Inference only (nothing may record gradients): long sequences run in chunks of this many steps (see
   * `kernels/rnn/chunks.ts`), and every value that no later node reads and `keep` does not name is disposed as
   * soon as its last reader has run, so that a run holds a few layers' outputs at a time rather than all of them.
   * The returned map then has only the values named in `keep`.
   */
  readonly chunk?: { readonly steps: number; readonly keep: ReadonlySet<string> };
}

/**
 * Every value of the graph by name: node ids, rnn states `<id>/h`, `<id>/c`.
 * @throws BackendError WEIGHTS when a kernel asks for a weight that is not in `weights`.
 */
export function forward(
  tf: Tf,
  model: ValidModel,
  weights: ReadonlyMap<string, TfTensor>,
  feeds: FeedTensors,
  options: ForwardOptions = {},
): Map<string, TfTensor> {
  const values = new Map<string, TfTensor>();
  const lengthsOf = (value: string) => {
    const name = model.info.lengthsOf.get(value);
    return name === undefined ? undefined : feeds.lengths.get(name);
  };
  const release = options.chunk === undefined ? undefined : new Release(model, feeds, options.chunk.keep);
  model.nodes.forEach((node, index) => {
    const ctx: KernelContext = {
      tf,
      training: options.training ?? false,
      rng: options.rng,
      chunkSteps: options.chunk?.steps,
      lengthsOf,
      derive(name, make) {
        const cache = options.derived;
        if (cache === undefined || options.derivedNodes?.has(node.id) === false) return make();
        const key = `${node.id}/${name}`;
        let t = cache.get(key);
        if (t === undefined) {
          t = tf.keep(make());
          cache.set(key, t);
        }
        return t;
      },
      weight(param) {
        const w = weights.get(`${node.id}/${param}`);
        if (w === undefined) throw new BackendError("WEIGHTS", `node "${node.id}" has no weight "${param}"`, node.id);
        return w;
      },
    };
    let inputs: (TfTensor | undefined)[];
    if (node.op === "input") inputs = [feeds.inputs.get(node.id)];
    else {
      inputs = node.inputs.map((name) => (name === "" ? undefined : values.get(name)));
      if (node.op === "rnn") {
        while (inputs.length < 3) inputs.push(undefined);
        for (const { key, slot } of stateFeedSlots(node)) inputs[slot] = feeds.states.get(key);
      }
    }
    const outs = (kernels[node.op] as Kernel<typeof node.op>)(node as never, inputs, ctx);
    outputsOf(node).forEach((name, i) => {
      values.set(name, outs[i]!);
    });
    release?.after(index, node, values);
  });
  return values;
}
