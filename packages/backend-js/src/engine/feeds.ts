/**
 * Feed validation shared by `Executable.run`, `gradients` and the trainer: every input present with its
 * declared shape (symbolic dims bound consistently), lengths in range, initial-state feeds only where an rnn's
 * state input is not wired, finite values, and nothing unknown.
 */
import {
  BackendError,
  directionsOf,
  type Feeds,
  formatShape,
  type InputNode,
  type RnnNode,
  type Shape,
  type Tensor,
  type ValidModel,
} from "@recurrent/core";
import type { Value } from "./value.js";

/** Feeds checked and turned into values. */
export interface CheckedFeeds {
  /** Batch size B. */
  readonly batch: number;
  /** Input values by input node id (sequences carry their lengths). */
  readonly inputs: ReadonlyMap<string, Value>;
  /** Fed initial states by key `<rnnId>/h`, `<rnnId>/c`. */
  readonly states: ReadonlyMap<string, Value>;
}

/** The state feed keys an rnn node accepts (those whose state input is not wired), with their input slot. */
export function stateFeedSlots(node: RnnNode): { key: string; slot: 1 | 2 }[] {
  const slots: { key: string; slot: 1 | 2 }[] = [];
  if (!node.inputs[1]) slots.push({ key: `${node.id}/h`, slot: 1 });
  if (node.cell === "lstm" && !node.inputs[2]) slots.push({ key: `${node.id}/c`, slot: 2 });
  return slots;
}

function isTensor(v: unknown): v is Tensor {
  return typeof v === "object" && v !== null && !ArrayBuffer.isView(v) && (v as Tensor).data instanceof Float32Array;
}

/** What `checkFeeds` needs of a model, worked out once per model: streaming checks feeds on every frame. */
interface FeedPlan {
  readonly inputs: readonly InputNode[];
  /** Sequence inputs that take lengths, with the lengths feed's name. */
  readonly lengths: readonly { readonly node: InputNode; readonly name: string }[];
  /** Feedable initial states with their expected shape `[directions, batch, units]`. */
  readonly states: readonly { readonly key: string; readonly shape: Shape }[];
  /** Every feed name the model takes, in the order error messages list them. */
  readonly known: ReadonlySet<string>;
  /** Symbolic dims bound so far in the current check; cleared at the start of each (checks never nest). */
  readonly bound: Map<string, { size: number; from: string }>;
}

const plans = new WeakMap<ValidModel, FeedPlan>();

function feedPlan(model: ValidModel): FeedPlan {
  let plan = plans.get(model);
  if (plan !== undefined) return plan;
  const inputs = model.nodes.filter((n): n is InputNode => n.op === "input");
  const known = new Set<string>(inputs.map((n) => n.id));
  const lengths: { node: InputNode; name: string }[] = [];
  for (const node of inputs) {
    if (node.lengths === undefined || node.shape.length !== 3) continue;
    known.add(node.lengths);
    lengths.push({ node, name: node.lengths });
  }
  const states: { key: string; shape: Shape }[] = [];
  for (const node of model.nodes) {
    if (node.op !== "rnn") continue;
    for (const { key } of stateFeedSlots(node)) {
      known.add(key);
      states.push({ key, shape: [directionsOf(node), "batch", node.units] });
    }
  }
  plan = { inputs, lengths, states, known, bound: new Map() };
  plans.set(model, plan);
  return plan;
}

/**
 * Checks `feeds` against the model's inputs.
 * @throws BackendError MISSING_FEED, FEED_SHAPE, BAD_LENGTHS, NON_FINITE or UNKNOWN_FEED (see README).
 */
export function checkFeeds(model: ValidModel, feeds: Feeds): CheckedFeeds {
  const plan = feedPlan(model);
  const bound = plan.bound;
  bound.clear();
  const inputs = new Map<string, Value>();
  const states = new Map<string, Value>();

  for (const node of plan.inputs) {
    const feed = feeds[node.id];
    if (feed === undefined) {
      throw new BackendError(
        "MISSING_FEED",
        `missing feed "${node.id}": expected a float32 tensor of shape ${formatShape(node.shape)}` +
          ` (fed: ${listOrNone(Object.keys(feeds))})`,
        node.id,
      );
    }
    const tensor = checkTensor(node.id, feed, node.shape, bound);
    inputs.set(node.id, { shape: tensor.shape, data: tensor.data, lengths: undefined });
  }

  for (const { node, name } of plan.lengths) {
    const lengths = feeds[name];
    if (lengths === undefined) continue;
    const v = inputs.get(node.id)!;
    const T = v.shape[0]!;
    const B = v.shape[1]!;
    checkLengths(name, node.id, lengths, T, B);
    const data = zeroedPadding(v.data, T, B, lengths as Int32Array);
    inputs.set(node.id, { shape: v.shape, data, lengths: lengths as Int32Array });
  }

  for (const { key, shape } of plan.states) {
    const feed = feeds[key];
    if (feed === undefined) continue;
    const tensor = checkTensor(key, feed, shape, bound);
    states.set(key, { shape: tensor.shape, data: tensor.data, lengths: undefined });
  }

  // for-in over own keys: Object.keys would allocate an array on every frame of a stream.
  for (const key in feeds) {
    if (!Object.hasOwn(feeds, key) || plan.known.has(key)) continue;
    const wired = model.nodes.find((n) => n.op === "rnn" && (key === `${n.id}/h` || key === `${n.id}/c`));
    const hint = wired
      ? `rnn "${wired.id}" has its state input wired in the graph, so its initial state cannot be fed`
      : `expected one of: ${listOrNone([...plan.known])}`;
    throw new BackendError("UNKNOWN_FEED", `unknown feed "${key}": ${hint}`);
  }
  return { batch: bound.get("batch")?.size ?? 0, inputs, states };
}

function checkTensor(
  name: string,
  feed: Tensor | Int32Array,
  expected: Shape,
  bound: Map<string, { size: number; from: string }>,
): Tensor {
  if (!isTensor(feed)) {
    throw new BackendError(
      "FEED_SHAPE",
      `feed "${name}" must be a float32 tensor { shape, data: Float32Array } of shape ${formatShape(expected)}, found ${describe(feed)}`,
      name,
    );
  }
  const shape = feed.shape;
  if (shape.length !== expected.length) {
    throw shapeMismatch(name, shape, expected, ` (rank ${shape.length} instead of ${expected.length})`);
  }
  let size = 1;
  for (let i = 0; i < expected.length; i++) {
    const dim = expected[i]!;
    const got = shape[i]!;
    if (!Number.isInteger(got) || got < 0) {
      throw shapeMismatch(name, shape, expected, ` (dim ${i} is not a non-negative integer)`);
    }
    size *= got;
    if (typeof dim === "number") {
      if (got !== dim) throw shapeMismatch(name, shape, expected, ` (dim ${i} is ${got}, must be ${dim})`);
      continue;
    }
    const seen = bound.get(dim);
    if (seen === undefined) bound.set(dim, { size: got, from: name });
    else if (seen.size !== got) {
      throw shapeMismatch(name, shape, expected, ` (${dim} = ${got} here but ${seen.size} in feed "${seen.from}")`);
    }
  }
  const data = feed.data;
  if (data.length !== size) {
    throw new BackendError(
      "FEED_SHAPE",
      `feed "${name}" has ${data.length} values but its shape ${formatShape(shape)} needs ${size}`,
      name,
    );
  }
  // x - x is 0 for every finite x and NaN for NaN and ±Infinity: one subtraction and compare per value.
  for (let i = 0; i < size; i++) {
    const v = data[i]!;
    if (v - v !== 0) {
      throw new BackendError(
        "NON_FINITE",
        `feed "${name}" has a non-finite value ${v} at index ${i} (${formatShape(unravel(i, shape))} of ${formatShape(shape)})`,
        name,
      );
    }
  }
  return feed;
}

function shapeMismatch(name: string, shape: readonly number[], expected: Shape, why: string): BackendError {
  return new BackendError(
    "FEED_SHAPE",
    `feed "${name}" has shape ${formatShape(shape)}, expected ${formatShape(expected)}${why}`,
    name,
  );
}

function checkLengths(name: string, input: string, lengths: Tensor | Int32Array, T: number, B: number): void {
  if (!(lengths instanceof Int32Array)) {
    throw new BackendError(
      "BAD_LENGTHS",
      `lengths feed "${name}" of input "${input}" must be an Int32Array of ${B} lengths, found ${describe(lengths)}`,
      input,
    );
  }
  if (lengths.length !== B) {
    throw new BackendError(
      "BAD_LENGTHS",
      `lengths feed "${name}" of input "${input}" has ${lengths.length} entries, expected ${B} (the batch size)`,
      input,
    );
  }
  for (let b = 0; b < B; b++) {
    const L = lengths[b]!;
    if (L < 0 || L > T) {
      throw new BackendError(
        "BAD_LENGTHS",
        `lengths feed "${name}" of input "${input}": sample ${b} has length ${L}, expected 0..${T} (T of the feed)`,
        input,
      );
    }
  }
}

/**
 * Every value keeps its padded frames zero, and kernels rely on it (e.g. `add`, `concat` copy frames). Inputs
 * may carry anything past a sample's length, so those get a zeroed copy; a clean input is used as is.
 */
function zeroedPadding(data: Float32Array, T: number, B: number, lengths: Int32Array): Float32Array {
  const D = T * B === 0 ? 0 : data.length / (T * B);
  let copy: Float32Array | undefined;
  for (let b = 0; b < B; b++) {
    for (let t = lengths[b]!; t < T; t++) {
      const off = (t * B + b) * D;
      for (let d = 0; d < D; d++) {
        if (data[off + d] !== 0 && copy === undefined) copy = data.slice();
      }
      if (copy) copy.fill(0, off, off + D);
    }
  }
  return copy ?? data;
}

function unravel(index: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length).fill(0);
  let rest = index;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    out[i] = d === 0 ? 0 : rest % d;
    rest = d === 0 ? 0 : Math.floor(rest / d);
  }
  return out;
}

function describe(v: unknown): string {
  if (v instanceof Int32Array) return `an Int32Array of ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (typeof v === "object" && v !== null && "data" in v) {
    const data = (v as { data: unknown }).data;
    return `a tensor with ${ArrayBuffer.isView(data) ? data.constructor.name : typeof data} data`;
  }
  return typeof v;
}

function listOrNone(names: readonly string[]): string {
  return names.length === 0 ? "none" : names.map((n) => `"${n}"`).join(", ");
}

/** `feeds` plus initial states (truncated BPTT carries them between chunks). */
export function withStates(feeds: Feeds, states: Readonly<Record<string, Tensor>> | undefined): Feeds {
  return states === undefined ? feeds : { ...feeds, ...states };
}
