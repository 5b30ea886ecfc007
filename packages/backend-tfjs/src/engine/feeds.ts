/**
 * Feed validation shared by `Executable.run`, `gradients` and the trainer, on the host before anything reaches
 * the device: every input present with its declared shape (symbolic dims bound consistently), lengths in range,
 * initial-state feeds only where an rnn's state input is not wired, finite values, and nothing unknown.
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
import { describeFeed, listOrNone, unravel } from "./describe.js";

/** Feeds that passed {@link checkFeeds}. */
export interface CheckedFeeds {
  /** Batch size B (0 when no feed binds it). */
  readonly batch: number;
  /** Float input tensors by input node id. */
  readonly inputs: ReadonlyMap<string, Tensor>;
  /** Lengths by lengths-feed name, with the T of the input they belong to (absent feed: every step valid). */
  readonly lengths: ReadonlyMap<string, { readonly host: Int32Array; readonly T: number }>;
  /** Fed initial states by key `<rnnId>/h`, `<rnnId>/c`, each `[directions, B, units]`. */
  readonly states: ReadonlyMap<string, Tensor>;
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

type Bound = Map<string, { size: number; from: string }>;

/**
 * Checks `feeds` against the model's inputs.
 * @throws BackendError MISSING_FEED (an input is absent), FEED_SHAPE (wrong type, rank, dim or data length),
 *   BAD_LENGTHS (not an Int32Array of B values in 0..T), NON_FINITE (NaN or ±Infinity, with its index) or
 *   UNKNOWN_FEED (a name the model does not take, e.g. the state of an rnn whose state input is wired).
 */
export function checkFeeds(model: ValidModel, feeds: Feeds): CheckedFeeds {
  const bound: Bound = new Map();
  const inputs = new Map<string, Tensor>();
  const lengths = new Map<string, { host: Int32Array; T: number }>();
  const states = new Map<string, Tensor>();
  const known = new Set<string>();
  const inputNodes = model.nodes.filter((n): n is InputNode => n.op === "input");

  for (const node of inputNodes) {
    known.add(node.id);
    const feed = feeds[node.id];
    if (feed === undefined) {
      throw new BackendError(
        "MISSING_FEED",
        `missing feed "${node.id}": expected a float32 tensor of shape ${formatShape(node.shape)}` +
          ` (fed: ${listOrNone(Object.keys(feeds))})`,
        node.id,
      );
    }
    inputs.set(node.id, checkTensor(node.id, feed, node.shape, bound));
  }

  for (const node of inputNodes) {
    const name = node.lengths;
    if (name === undefined || node.shape.length !== 3) continue;
    known.add(name);
    const feed = feeds[name];
    if (feed === undefined) continue;
    const [T, B] = inputs.get(node.id)!.shape as [number, number];
    lengths.set(name, { host: checkLengths(name, node.id, feed, T, B), T });
  }

  for (const node of model.nodes) {
    if (node.op !== "rnn") continue;
    for (const { key } of stateFeedSlots(node)) {
      known.add(key);
      const feed = feeds[key];
      if (feed !== undefined) states.set(key, checkTensor(key, feed, [directionsOf(node), "batch", node.units], bound));
    }
  }

  for (const key of Object.keys(feeds)) {
    if (known.has(key)) continue;
    const wired = model.nodes.find((n) => n.op === "rnn" && (key === `${n.id}/h` || key === `${n.id}/c`));
    const hint = wired
      ? `rnn "${wired.id}" has its state input wired in the graph, so its initial state cannot be fed`
      : `expected one of: ${listOrNone([...known])}`;
    throw new BackendError("UNKNOWN_FEED", `unknown feed "${key}": ${hint}`);
  }
  return { batch: bound.get("batch")?.size ?? 0, inputs, lengths, states };
}

function checkTensor(name: string, feed: Tensor | Int32Array, expected: Shape, bound: Bound): Tensor {
  if (!isTensor(feed)) {
    throw new BackendError(
      "FEED_SHAPE",
      `feed "${name}" must be a float32 tensor { shape, data: Float32Array } of shape ${formatShape(expected)}, found ${describeFeed(feed)}`,
      name,
    );
  }
  const shape = feed.shape;
  const mismatch = (why: string) =>
    new BackendError(
      "FEED_SHAPE",
      `feed "${name}" has shape ${formatShape(shape)}, expected ${formatShape(expected)}${why}`,
      name,
    );
  if (shape.length !== expected.length) throw mismatch(` (rank ${shape.length} instead of ${expected.length})`);
  expected.forEach((dim, i) => {
    const got = shape[i]!;
    if (!Number.isInteger(got) || got < 0) throw mismatch(` (dim ${i} is not a non-negative integer)`);
    if (typeof dim === "number") {
      if (got !== dim) throw mismatch(` (dim ${i} is ${got}, must be ${dim})`);
      return;
    }
    const seen = bound.get(dim);
    if (seen === undefined) bound.set(dim, { size: got, from: name });
    else if (seen.size !== got) throw mismatch(` (${dim} = ${got} here but ${seen.size} in feed "${seen.from}")`);
  });
  const size = shape.reduce((a, d) => a * d, 1);
  if (feed.data.length !== size) {
    throw new BackendError(
      "FEED_SHAPE",
      `feed "${name}" has ${feed.data.length} values but its shape ${formatShape(shape)} needs ${size}`,
      name,
    );
  }
  const data = feed.data;
  for (let i = 0; i < data.length; i++) {
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

function checkLengths(name: string, input: string, lengths: Tensor | Int32Array, T: number, B: number): Int32Array {
  const where = `lengths feed "${name}" of input "${input}"`;
  if (!(lengths instanceof Int32Array)) {
    throw new BackendError(
      "BAD_LENGTHS",
      `${where} must be an Int32Array of ${B} lengths, found ${describeFeed(lengths)}`,
      input,
    );
  }
  if (lengths.length !== B) {
    throw new BackendError(
      "BAD_LENGTHS",
      `${where} has ${lengths.length} entries, expected ${B} (the batch size)`,
      input,
    );
  }
  for (let b = 0; b < B; b++) {
    const L = lengths[b]!;
    if (L < 0 || L > T) {
      throw new BackendError(
        "BAD_LENGTHS",
        `${where}: sample ${b} has length ${L}, expected 0..${T} (T of the feed)`,
        input,
      );
    }
  }
  return lengths;
}
