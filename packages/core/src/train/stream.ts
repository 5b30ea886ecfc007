/**
 * Streaming: run a unidirectional model frame by frame (or chunk by chunk) in real time, carrying every
 * recurrent state from one call to the next through the `<rnn>/h`, `<rnn>/c` state feeds. What it keeps between
 * calls is one set of state tensors (replaced on every push), so memory stays constant however long the stream.
 */
import type { Executable, Feeds, Outputs } from "../backend/backend.js";
import { BackendError } from "../backend/errors.js";
import type { InputNode } from "../ir/nodes.js";
import { formatShape, sizeOf, type Tensor } from "../tensor/tensor.js";
import { type Carried, planStream } from "./stream-plan.js";

/** Options of {@link stream}. */
export interface StreamOptions {
  /**
   * Values fed unchanged on every push: each vector input `[B, D]` of the model (required), and optionally the
   * initial value of a graph input wired into an `rnn`'s initial state (default zeros).
   */
  readonly inputs?: Readonly<Record<string, Tensor>>;
}

/** A running stream over one compiled model. */
export interface Stream {
  /**
   * Runs the next frames of the model's sequence input: one frame `[B, D]` or a chunk `[t, B, D]` (t ≥ 1). Returns
   * the graph's outputs for those frames: `[B, O]` for a single frame, `[t, B, O]` for a chunk (non-sequence
   * outputs as the model returns them). Pushes made without awaiting run one after another, in order.
   * @throws BackendError `FEED_SHAPE` for a malformed frame or a feature size the input does not take; `STREAM`
   *   when B differs from the first push's (call `reset()` first) or the executable returns no state value.
   */
  push(frames: Tensor): Promise<Outputs>;
  /** Forgets the carried states (back to zeros / the given initial states) and the batch size. */
  reset(): void;
  /** Frames pushed since the start or the last `reset()`. */
  readonly frames: number;
}

/**
 * Prepares `executable` for streaming.
 * @throws BackendError `STREAM` naming the node and why when the model cannot stream: a bidirectional or
 *   reverse `rnn` (it must see the whole sequence first), an `rnn` without `returnSequences`, `lastStep`/`pool`
 *   (they reduce over the whole sequence), `frameStack` or `conv1d` with context (it would need frames of other
 *   pushes), `repeat` over a fixed step count, an `rnn` state wired from another node, or not exactly one
 *   sequence input; `MISSING_FEED` / `UNKNOWN_FEED` when `options.inputs` lacks a vector input or names
 *   something else.
 */
export function stream(executable: Executable, options: StreamOptions = {}): Stream {
  const plan = planStream(executable.model);
  const given = options.inputs ?? {};
  const wiredInputs = new Set(plan.carried.filter((c) => c.wired).map((c) => c.feed));
  for (const name of Object.keys(given)) {
    if (!plan.vectorInputs.includes(name) && !wiredInputs.has(name)) {
      throw new BackendError(
        "UNKNOWN_FEED",
        `stream(): options.inputs has "${name}", which is not a vector input or wired state input of "${executable.model.name}"` +
          ` (expected ${[...plan.vectorInputs, ...wiredInputs].join(", ") || "nothing"}; the sequence input "${plan.input.id}" is pushed)`,
      );
    }
  }
  for (const name of plan.vectorInputs) {
    if (given[name] === undefined) {
      throw new BackendError(
        "MISSING_FEED",
        `stream(): vector input "${name}" must be given once in options.inputs`,
        name,
      );
    }
  }
  const fetch = [...new Set([...executable.model.outputs, ...plan.carried.map((c) => c.fetch)])];
  const runOptions = { fetch };
  const givenNames = Object.keys(given);
  // Every pushed sample uses all its frames: the declared lengths feed gets t for each of B (kept while t and B repeat).
  const lengthsName = plan.input.lengths;
  let lengths = new Int32Array(0);
  const outputs = executable.model.outputs;
  const dropTime = outputs.map((name) => plan.sequenceOutputs.has(name));
  // One carried state per `plan.carried` entry (undefined before the first push).
  let states: (Tensor | undefined)[] = [];
  let batch: number | undefined;
  let frames = 0;
  let queue: Promise<unknown> = Promise.resolve();
  /** Pushes not finished yet; with none, a push runs at once instead of waiting a turn behind the queue. */
  let pending = 0;

  // Per push: no spreads, maps or closures (a stream pushes one small frame per call, so they would dominate).
  const run = async (chunk: Tensor): Promise<Outputs> => {
    try {
      checkFrames(plan.input, chunk);
      const single = chunk.shape.length === 2;
      const x = single ? { shape: [1, chunk.shape[0]!, chunk.shape[1]!], data: chunk.data } : chunk;
      const B = x.shape[1]!;
      if (batch !== undefined && B !== batch) {
        throw new BackendError(
          "STREAM",
          `stream(): batch size changed from ${batch} to ${B} at input "${plan.input.id}"; it is fixed by the first push. Call reset() to start a new stream.`,
          plan.input.id,
        );
      }
      const feeds: Record<string, Tensor | Int32Array> = {};
      for (let i = 0; i < givenNames.length; i++) feeds[givenNames[i]!] = given[givenNames[i]!]!;
      feeds[plan.input.id] = x;
      if (lengthsName !== undefined) {
        const t = x.shape[0]!;
        if (lengths.length !== B || lengths[0] !== t) lengths = new Int32Array(B).fill(t);
        feeds[lengthsName] = lengths;
      }
      for (let i = 0; i < plan.carried.length; i++) {
        const c = plan.carried[i]!;
        const state = states[i] ?? (c.wired ? (given[c.feed] ?? zeros(c, B)) : undefined);
        if (state !== undefined) feeds[c.feed] = state;
      }
      const result = await executable.run(feeds as Feeds, runOptions);
      const next: Tensor[] = [];
      for (const c of plan.carried) {
        const state = result[c.fetch];
        if (state === undefined) {
          throw new BackendError("STREAM", `stream(): the executable returned no "${c.fetch}" although it was fetched`);
        }
        next.push(state);
      }
      states = next;
      batch = B;
      frames += x.shape[0]!;
      const out: Record<string, Tensor> = {};
      for (let i = 0; i < outputs.length; i++) {
        const name = outputs[i]!;
        const y = result[name]!;
        out[name] = single && dropTime[i] ? { shape: y.shape.slice(1), data: y.data } : y;
      }
      return out;
    } finally {
      pending--;
    }
  };

  return {
    push(chunk) {
      pending++;
      const result = pending === 1 ? run(chunk) : queue.then(() => run(chunk));
      queue = result.catch(ignore);
      return result;
    },
    reset() {
      states = [];
      batch = undefined;
      frames = 0;
    },
    get frames() {
      return frames;
    },
  };
}

/** Swallows a failed push's error in the queue (the caller gets it from that push's own promise). */
const ignore = (): undefined => undefined;

function zeros(c: Carried, B: number): Tensor {
  return { shape: [c.directions, B, c.units], data: new Float32Array(c.directions * B * c.units) };
}

function checkFrames(input: InputNode, chunk: Tensor): void {
  const rank = chunk.shape.length;
  const D = chunk.shape[rank - 1];
  const want = input.shape[2];
  const bad = (what: string) =>
    new BackendError("FEED_SHAPE", `stream(): input "${input.id}" got ${formatShape(chunk.shape)}: ${what}`, input.id);
  if (rank !== 2 && rank !== 3) throw bad("expected one frame [B, D] or a chunk [t, B, D]");
  for (let i = 0; i < rank; i++) {
    const d = chunk.shape[i]!;
    if (!Number.isInteger(d) || d < 1) throw bad("every dim must be an integer >= 1");
  }
  if (!(chunk.data instanceof Float32Array) || chunk.data.length !== sizeOf(chunk.shape)) {
    throw bad(`expected a Float32Array of ${sizeOf(chunk.shape)} values, found ${chunk.data?.length ?? "none"}`);
  }
  if (typeof want === "number" && D !== want) throw bad(`expected ${want} features, found ${D}`);
}
