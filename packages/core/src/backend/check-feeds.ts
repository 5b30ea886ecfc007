/**
 * Backend-agnostic feed validation, shared by the training backends: every input present with its declared
 * shape (symbolic dims bound consistently), every declared lengths feed present and in range, initial-state
 * feeds only where an rnn's state input is not wired, finite values, and nothing unknown. Backends turn the
 * checked feeds into their own values.
 */
import { CELL_SPECS } from "../ir/cells.js";
import { directionsOf, type InputNode, type RnnNode, type Shape, TIME } from "../ir/nodes.js";
import type { ValidModel } from "../ir/valid-model.js";
import { formatShape, type Tensor } from "../tensor/tensor.js";
import type { Feeds } from "./backend.js";
import { BackendError } from "./errors.js";

/** A feedable initial state of an rnn node. */
export interface StateFeedSlot {
  /** Feed key `<rnnId>/h` or `<rnnId>/c`. */
  readonly key: string;
  /** The rnn input slot the state goes to: 1 for h, 2 for c. */
  readonly slot: 1 | 2;
}

/** The state feed keys an rnn node accepts (those whose state input is not wired), with their input slot. */
export function stateFeedSlots(node: RnnNode): StateFeedSlot[] {
  const slots: StateFeedSlot[] = [];
  CELL_SPECS[node.cell].states.forEach((state, i) => {
    const slot = (i + 1) as 1 | 2;
    if (!node.inputs[slot]) slots.push({ key: `${node.id}/${state}`, slot });
  });
  return slots;
}

/** Which feeds a model takes, worked out once per model (streaming checks feeds on every frame). */
export interface FeedPlan {
  /** Input nodes in model order; each must be fed a float32 tensor of its `shape`. */
  readonly inputs: readonly InputNode[];
  /** Sequence inputs (rank 3) that declare lengths, with the lengths feed's name (every run must feed it). */
  readonly lengths: readonly { readonly node: InputNode; readonly name: string }[];
  /** Feedable initial states with their rnn and expected shape `[directions, batch, units]`. */
  readonly states: readonly (StateFeedSlot & { readonly node: RnnNode; readonly shape: Shape })[];
  /** Every feed name the model takes, in the order error messages list them. */
  readonly known: ReadonlySet<string>;
  /** The symbolic dims of the feed shapes (e.g. `time`, `batch`), indexing {@link FeedSizes.dims}. */
  readonly symbols: readonly string[];
}

interface PlanState extends FeedPlan {
  /** Per input and state (in plan order), each dim's index into `symbols`, or -1 for a fixed size. */
  readonly inputSlots: readonly (readonly number[])[];
  readonly stateSlots: readonly (readonly number[])[];
  /** Per input (in plan order), whether lengths mask it (its finite check then skips padded frames). */
  readonly masked: readonly boolean[];
  /** Which feed bound each symbol in the current check, for messages (checks never nest). */
  readonly from: string[];
}

const plans = new WeakMap<ValidModel, PlanState>();

function planOf(model: ValidModel): PlanState {
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
  const states: (StateFeedSlot & { node: RnnNode; shape: Shape })[] = [];
  for (const node of model.nodes) {
    if (node.op !== "rnn") continue;
    for (const slot of stateFeedSlots(node)) {
      known.add(slot.key);
      states.push({ ...slot, node, shape: [directionsOf(node), "batch", node.units] });
    }
  }
  const symbols: string[] = [];
  const slotsOf = (shape: Shape) =>
    shape.map((dim) => {
      if (typeof dim === "number") return -1;
      if (!symbols.includes(dim)) symbols.push(dim);
      return symbols.indexOf(dim);
    });
  const inputSlots = inputs.map((n) => slotsOf(n.shape));
  const stateSlots = states.map((s) => slotsOf(s.shape));
  const masked = inputs.map((n) => lengths.some((l) => l.node === n));
  plan = { inputs, lengths, states, known, symbols, inputSlots, stateSlots, masked, from: symbols.map(() => "") };
  plans.set(model, plan);
  return plan;
}

/** The feeds `model` takes (cached per model: the same object on every call). */
export function feedPlan(model: ValidModel): FeedPlan {
  return planOf(model);
}

/** What {@link checkModelFeeds} resolved. */
export interface FeedSizes {
  /** The model's feed plan (the same object as {@link feedPlan} returns), for gathering the checked feeds. */
  readonly plan: FeedPlan;
  /** Batch size B (0 when no feed binds it). */
  readonly batch: number;
  /** The size bound to each of `plan.symbols` (e.g. `time` → T, `batch` → B), -1 where no feed binds it. */
  readonly dims: readonly number[];
}

/**
 * Checks `feeds` against the model's inputs. After it returns, `feeds[node.id]` of every input node and every
 * fed state key is a float32 tensor of the planned shape, and every lengths name the model declares (see
 * {@link feedPlan}) is an Int32Array of B lengths in 0..T of its input.
 * @throws BackendError MISSING_FEED (an input or a declared lengths feed is absent; see
 *   {@link checkLengthsFed}), FEED_SHAPE (wrong type, rank, dim or data length),
 *   BAD_LENGTHS (not an Int32Array of B values in 0..T), NON_FINITE (NaN or ±Infinity, with its index; padded
 *   frames of a sequence input may hold anything) or UNKNOWN_FEED (a name the model does not take, e.g. the state of an rnn whose state input is wired).
 */
export function checkModelFeeds(model: ValidModel, feeds: Feeds): FeedSizes {
  const plan = planOf(model);
  // A fresh array per check (the result keeps it); a reused Map would cost more to clear than this allocates.
  const sizes = new Array<number>(plan.symbols.length).fill(-1);

  for (let i = 0; i < plan.inputs.length; i++) {
    const node = plan.inputs[i]!;
    const feed = fed(feeds, node.id);
    if (feed === undefined) {
      throw new BackendError(
        "MISSING_FEED",
        `missing feed "${node.id}": expected a float32 tensor of shape ${formatShape(node.shape)}` +
          ` (fed: ${listOrNone(Object.keys(feeds))})`,
        node.id,
      );
    }
    // A sequence input with lengths is checked for finite values once its lengths are known (below).
    checkTensor(node.id, feed, node.shape, plan.inputSlots[i]!, plan, sizes, !plan.masked[i]);
  }

  for (const { node, name } of plan.lengths) {
    const lengths = fed(feeds, name);
    const shape = (feeds[node.id] as Tensor).shape;
    if (lengths === undefined) throw missingLengths(node, name, shape);
    checkLengths(name, node.id, lengths, shape[0]!, shape[1]!);
  }

  // Values are checked once the lengths are known: padded frames are ignored, whatever they hold (NaN included),
  // as PyTorch's packed sequences ignore them.
  for (let i = 0; i < plan.lengths.length; i++) {
    const { node, name } = plan.lengths[i]!;
    checkFinite(node.id, feeds[node.id] as Tensor, feeds[name] as Int32Array);
  }

  for (let i = 0; i < plan.states.length; i++) {
    const { key, shape } = plan.states[i]!;
    const feed = fed(feeds, key);
    if (feed !== undefined) checkTensor(key, feed, shape, plan.stateSlots[i]!, plan, sizes, true);
  }

  // for-in over own keys: Object.keys would allocate an array on every frame of a stream.
  for (const key in feeds) {
    if (!Object.hasOwn(feeds, key) || plan.known.has(key)) continue;
    const wired = model.nodes.find((n) => n.op === "rnn" && (key === `${n.id}/h` || key === `${n.id}/c`));
    // Lengths fed to a model whose sequence input declares none: say so, rather than only listing names.
    const lengthsOf = model.info.lengthsOf;
    const free =
      feeds[key] instanceof Int32Array
        ? plan.inputs.find((n) => lengthsOf.has(n.id) && lengthsOf.get(n.id) === undefined)
        : undefined;
    const hint = wired
      ? `rnn "${wired.id}" has its state input wired in the graph, so its initial state cannot be fed`
      : `expected one of: ${listOrNone([...plan.known])}` +
        (free ? `; sequence input "${free.id}" declares no lengths feed (every sample uses all T steps)` : "");
    throw new BackendError("UNKNOWN_FEED", `unknown feed "${key}": ${hint}`);
  }
  const b = plan.symbols.indexOf("batch");
  return { plan, batch: b < 0 ? 0 : Math.max(0, sizes[b]!), dims: sizes };
}

/**
 * The lengths rule on its own, for a backend that checks its other feeds itself: every lengths feed the model
 * declares must be fed, whenever its sequence input is (a missing input is the caller's own MISSING_FEED).
 * A model whose samples always use every step declares none (`input(id, D, { lengths: false })`).
 * @throws BackendError MISSING_FEED naming the sequence input, its lengths feed, the input's declared and fed
 *   shapes, and both remedies (feed `fullLengths(x)`, or declare the input without lengths).
 */
export function checkLengthsFed(model: ValidModel, feeds: Feeds): void {
  for (const { node, name } of planOf(model).lengths) {
    const x = fed(feeds, node.id);
    if (fed(feeds, name) === undefined && x !== undefined)
      throw missingLengths(node, name, isTensor(x) ? x.shape : undefined);
  }
}

function missingLengths(node: InputNode, name: string, fed: readonly number[] | undefined): BackendError {
  const T = fed?.[0];
  const B = fed?.[1];
  const time = node.shape[0];
  const timeOption = time === TIME || typeof time !== "string" ? "" : `, time: "${time}"`;
  return new BackendError(
    "MISSING_FEED",
    `missing lengths feed "${name}" of sequence input "${node.id}" ${formatShape(node.shape)}` +
      (fed === undefined ? "" : ` (fed ${formatShape(fed)})`) +
      `: the input declares it, so every run must feed an Int32Array of ${B ?? "B"} valid step counts. ` +
      `Feed it ({ ${node.id}, ${name}: fullLengths(${node.id}) } when every sample uses all ${T ?? "T"} steps), ` +
      `or declare the input without lengths: input("${node.id}", ${node.shape[2]}, { lengths: false${timeOption} })`,
    node.id,
  );
}

/**
 * The feed of that name, own keys only: a node named "constructor" or "toString" must not find
 * Object.prototype's function when it is not fed.
 */
function fed(feeds: Feeds, name: string): Tensor | Int32Array | undefined {
  const v = feeds[name];
  // A feed is never a function, so a function is Object.prototype's (cheaper than Object.hasOwn per frame).
  return typeof v === "function" ? undefined : v;
}

function isTensor(v: unknown): v is Tensor {
  return typeof v === "object" && v !== null && !ArrayBuffer.isView(v) && (v as Tensor).data instanceof Float32Array;
}

function checkTensor(
  name: string,
  feed: Tensor | Int32Array,
  expected: Shape,
  slots: readonly number[],
  plan: PlanState,
  sizes: number[],
  finite: boolean,
): void {
  if (!isTensor(feed)) {
    throw new BackendError(
      "FEED_SHAPE",
      `feed "${name}" must be a float32 tensor { shape, data: Float32Array } of shape ${formatShape(expected)}, found ${describeFeed(feed)}`,
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
    const slot = slots[i]!;
    if (slot < 0) {
      if (got !== dim) throw shapeMismatch(name, shape, expected, ` (dim ${i} is ${got}, must be ${dim})`);
      continue;
    }
    const seen = sizes[slot]!;
    if (seen < 0) {
      sizes[slot] = got;
      plan.from[slot] = name;
    } else if (seen !== got) {
      const by = plan.from[slot];
      throw shapeMismatch(name, shape, expected, ` (${dim} = ${got} here but ${seen} in feed "${by}")`);
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
  if (finite) checkFinite(name, feed, undefined);
}

/**
 * Every value of `feed` finite, except in the padded frames (`t >= lengths[b]`) of a sequence `[T, B, D]` when
 * `lengths` is given: those never reach an output, a state, a loss or a gradient, so they may hold anything.
 * @throws BackendError NON_FINITE naming the feed, the value and its position.
 */
function checkFinite(name: string, feed: Tensor, lengths: Int32Array | undefined): void {
  const { data, shape } = feed;
  const B = lengths === undefined ? 0 : shape[1]!;
  const frame = lengths === undefined ? 0 : shape[2]!;
  // x - x is 0 for every finite x and NaN for NaN and ±Infinity: one subtraction and compare per value.
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v - v === 0) continue;
    if (lengths !== undefined) {
      const row = Math.floor(i / frame);
      if (Math.floor(row / B) >= lengths[row % B]!) continue;
    }
    throw new BackendError(
      "NON_FINITE",
      `feed "${name}" has a non-finite value ${v} at index ${i} (${formatShape(unravel(i, shape))} of ${formatShape(shape)})`,
      name,
    );
  }
}

/**
 * `feeds` with the padded frames (`t >= lengths[b]`) of every sequence input zeroed, so that nothing a caller
 * left there (NaN included) can reach a kernel: a zeroed copy where some padded value is not 0, the caller's
 * tensor otherwise. The feeds must have passed {@link checkModelFeeds}.
 */
export function zeroPaddedFeeds(model: ValidModel, feeds: Feeds): Feeds {
  let out: Record<string, Tensor | Int32Array> | undefined;
  const plan = planOf(model).lengths;
  for (let i = 0; i < plan.length; i++) {
    const { node, name } = plan[i]!;
    const x = feeds[node.id] as Tensor;
    const lengths = feeds[name] as Int32Array;
    // Index reads, not array destructuring (an iterator per call): this runs on every streamed frame.
    const T = x.shape[0]!;
    const B = x.shape[1]!;
    const D = x.shape[2]!;
    let copy: Float32Array | undefined;
    for (let b = 0; b < B; b++) {
      for (let t = lengths[b]!; t < T; t++) {
        const off = (t * B + b) * D;
        if (copy === undefined) {
          for (let d = 0; d < D; d++) {
            if (x.data[off + d] !== 0) {
              copy = x.data.slice();
              break;
            }
          }
        }
        if (copy !== undefined) copy.fill(0, off, off + D);
      }
    }
    if (copy === undefined) continue;
    out ??= { ...feeds };
    out[node.id] = { shape: x.shape, data: copy };
  }
  return out ?? feeds;
}

function shapeMismatch(name: string, shape: readonly number[], expected: Shape, why: string): BackendError {
  return new BackendError(
    "FEED_SHAPE",
    `feed "${name}" has shape ${formatShape(shape)}, expected ${formatShape(expected)}${why}`,
    name,
  );
}

function checkLengths(name: string, input: string, lengths: Tensor | Int32Array, T: number, B: number): void {
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
}

/** The multi-index of flat `index` in a row-major `shape`. */
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

/** What a feed value is, for "found …" in messages. */
function describeFeed(v: unknown): string {
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
