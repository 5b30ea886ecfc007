/**
 * Checks a run's feeds against an exported model's inputs and turns them into onnxruntime tensors: symbols bound
 * consistently (batch, each time axis), lengths present (core's `checkLengthsFed` has given the rule's message
 * first) and in 0..T, initial states `<id>/h` / `<id>/c` mapped to the graph inputs `<id>/h_0` / `<id>/c_0`
 * (zeros when absent).
 */
import {
  BackendError,
  checkLengthsFed,
  type Dim,
  type Feeds,
  formatShape,
  type Shape,
  type Tensor,
  type ValidModel,
} from "@recurrent/core";
import type { Tensor as OrtTensor } from "onnxruntime-node";
import type { OnnxInput } from "./export/index.js";
import type { OrtModule } from "./ort.js";

function isTensor(value: unknown): value is Tensor {
  return (
    typeof value === "object" &&
    value !== null &&
    Array.isArray((value as Tensor).shape) &&
    (value as Tensor).data instanceof Float32Array
  );
}

/** Binds the dims of `shape` to the feed's, or throws FEED_SHAPE naming the feed and both shapes. */
function bind(name: string, shape: Shape, value: Tensor, symbols: Map<string, number>): void {
  const expected = () => formatShape(shape.map((d) => (typeof d === "string" ? (symbols.get(d) ?? d) : d)));
  const fail = (why: string): never => {
    throw new BackendError(
      "FEED_SHAPE",
      `feed "${name}": ${why}; expected ${expected()}, found ${formatShape(value.shape)}`,
    );
  };
  if (value.shape.length !== shape.length) fail(`rank ${value.shape.length} instead of ${shape.length}`);
  const size = value.shape.reduce((a, b) => a * b, 1);
  if (value.shape.some((d) => !Number.isInteger(d) || d < 0) || size !== value.data.length) {
    fail(`shape does not match its ${value.data.length} values`);
  }
  shape.forEach((dim: Dim, i) => {
    const found = value.shape[i] as number;
    const want = typeof dim === "string" ? symbols.get(dim) : dim;
    if (want === undefined) symbols.set(dim as string, found);
    else if (want !== found) {
      fail(`dim ${i} (${typeof dim === "string" ? `"${dim}", bound to ${want} by an earlier feed` : dim}) is ${found}`);
    }
  });
}

function checkFinite(name: string, value: Tensor): void {
  const data = value.data;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i] as number)) {
      throw new BackendError("NON_FINITE", `feed "${name}": value ${data[i]} at flat index ${i} is not finite`);
    }
  }
}

/**
 * The onnxruntime feeds of one run.
 * @param ort the loaded onnxruntime module (an optional peer, loaded by the backend; see ort.ts).
 * @param lengthsTime the time dim of the sequence inputs each lengths feed masks.
 * @param model the exported model, for core's lengths rule (the same MISSING_FEED message as every backend).
 * @throws BackendError UNKNOWN_FEED, MISSING_FEED, FEED_SHAPE, BAD_LENGTHS or NON_FINITE naming the feed.
 */
export function toOrtFeeds(
  ort: Pick<OrtModule, "Tensor">,
  inputs: readonly OnnxInput[],
  lengthsTime: ReadonlyMap<string, Dim>,
  feeds: Feeds,
  model: ValidModel,
): Record<string, OrtTensor> {
  const known = new Set(inputs.map((i) => i.feed));
  for (const name of Object.keys(feeds)) {
    if (!known.has(name)) {
      throw new BackendError(
        "UNKNOWN_FEED",
        `feed "${name}" is not an input of the model; expected some of: ${[...known].join(", ")}`,
      );
    }
  }
  const symbols = new Map<string, number>();
  const out: Record<string, OrtTensor> = {};
  for (const input of inputs) {
    if (input.kind !== "input") continue;
    const value = feeds[input.feed];
    if (value === undefined) {
      throw new BackendError(
        "MISSING_FEED",
        `feed "${input.feed}" is missing: expected a Tensor ${formatShape(input.shape)}`,
        input.feed,
      );
    }
    if (!isTensor(value)) {
      throw new BackendError(
        "FEED_SHAPE",
        `feed "${input.feed}": expected a float32 Tensor ${formatShape(input.shape)}`,
      );
    }
    bind(input.feed, input.shape, value, symbols);
    checkFinite(input.feed, value);
    out[input.name] = new ort.Tensor("float32", value.data, value.shape);
  }
  checkLengthsFed(model, feeds);
  for (const input of inputs) {
    if (input.kind === "lengths") out[input.name] = lengthsTensor(ort, input, lengthsTime, feeds[input.feed], symbols);
  }
  for (const input of inputs) {
    if (input.kind !== "state") continue;
    const value = feeds[input.feed];
    const shape = input.shape.map((d) => (typeof d === "string" ? (symbols.get(d) ?? 0) : d));
    if (value === undefined) {
      out[input.name] = new ort.Tensor("float32", new Float32Array(shape.reduce((a, b) => a * b, 1)), shape);
      continue;
    }
    if (!isTensor(value)) {
      throw new BackendError("FEED_SHAPE", `feed "${input.feed}": expected a float32 Tensor ${formatShape(shape)}`);
    }
    bind(input.feed, input.shape, value, symbols);
    checkFinite(input.feed, value);
    out[input.name] = new ort.Tensor("float32", value.data, value.shape);
  }
  return out;
}

function lengthsTensor(
  ort: Pick<OrtModule, "Tensor">,
  input: OnnxInput,
  lengthsTime: ReadonlyMap<string, Dim>,
  value: Feeds[string] | undefined,
  symbols: ReadonlyMap<string, number>,
): OrtTensor {
  const timeDim = lengthsTime.get(input.name);
  const T = typeof timeDim === "string" ? symbols.get(timeDim) : timeDim;
  const B = symbols.get(input.shape[0] as string);
  if (T === undefined || B === undefined) throw new Error(`internal: lengths "${input.name}" has no bound time/batch`);
  if (value === undefined) {
    throw new BackendError("MISSING_FEED", `feed "${input.feed}" is missing: expected an Int32Array of ${B} lengths`);
  }
  if (!(value instanceof Int32Array)) {
    throw new BackendError("BAD_LENGTHS", `feed "${input.feed}": expected an Int32Array of ${B} lengths`);
  }
  if (value.length !== B) {
    throw new BackendError("BAD_LENGTHS", `feed "${input.feed}": has ${value.length} lengths for a batch of ${B}`);
  }
  const bad = value.findIndex((L) => L < 0 || L > T);
  if (bad >= 0) {
    throw new BackendError(
      "BAD_LENGTHS",
      `feed "${input.feed}": length ${value[bad]} of sample ${bad} is outside 0..${T}; hint: lengths count valid steps`,
    );
  }
  return new ort.Tensor("int32", value, [B]);
}
