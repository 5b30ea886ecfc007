/**
 * Checks of a training batch that must pass before any weight changes: with truncated BPTT an error found by the
 * engine in the third chunk would come after two updates, so every value is checked up front. Shared by every
 * training backend, so all of them refuse the same batches with the same messages.
 */
import type { TrainBatch } from "../backend/backend.js";
import { BackendError } from "../backend/errors.js";
import { bindDerivedTimes } from "../backend/time-steps.js";
import type { Dim } from "../ir/nodes.js";
import type { ValidModel } from "../ir/valid-model.js";
import { formatShape, type IntTensor, type Tensor } from "../tensor/tensor.js";
import type { LossConfig } from "./config.js";

/** What the checks learnt about a batch. */
export interface TrainBatchFacts {
  /** Length of the shared time axis of the sequence inputs (undefined: no sequence input fed). */
  readonly T: number | undefined;
}

/** The first non-finite value's index outside the padded frames `padded` marks (by frame index), or -1. */
function firstNonFinite(data: Float32Array, padded?: { lengths: Int32Array; B: number; D: number }): number {
  for (let i = 0; i < data.length; i++) {
    if (Number.isFinite(data[i]!)) continue;
    if (padded !== undefined) {
      const row = Math.floor(i / padded.D);
      if (Math.floor(row / padded.B) >= padded.lengths[row % padded.B]!) continue;
    }
    return i;
  }
  return -1;
}

/**
 * The lengths masking sequence input `name`, when it is one and they are fed and in range: its padded frames are
 * ignored whatever they hold (NaN included), as PyTorch's packed sequences ignore them.
 */
function paddingOf(model: ValidModel, batch: TrainBatch, name: string, shape: readonly number[]) {
  const lengthsName = model.info.lengthsOf.get(name);
  const lengths = lengthsName === undefined ? undefined : batch.inputs[lengthsName];
  if (!(lengths instanceof Int32Array) || shape.length !== 3 || lengths.length !== shape[1]) return undefined;
  if (lengths.some((L) => L < 0 || L > shape[0]!)) return undefined;
  return { lengths, B: shape[1]!, D: shape[2]! };
}

function position(shape: readonly number[], flat: number): string {
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(flat % shape[d]!);
    flat = Math.floor(flat / shape[d]!);
  }
  return `[${idx.join(", ")}]`;
}

function isTensor(value: unknown): value is Tensor | IntTensor {
  return typeof value === "object" && value !== null && "shape" in value && "data" in value;
}

/** Symbols (`"batch"`, time axes) bound to the sizes the batch's input feeds give them. */
function bindSymbols(model: ValidModel, batch: TrainBatch): Map<string, number> {
  const bound = new Map<string, number>();
  for (const node of model.nodes) {
    const feed = batch.inputs[node.id];
    if (node.op !== "input" || !isTensor(feed)) continue;
    const declared = model.info.shapes.get(node.id) ?? [];
    if (declared.length !== feed.shape.length) continue;
    declared.forEach((dim, i) => {
      if (typeof dim === "string" && !bound.has(dim)) bound.set(dim, feed.shape[i]!);
    });
  }
  // Derived time axes (after a strided conv or a pad) size the target too; a too-short input fails here, first.
  return bindDerivedTimes(model, bound);
}

function resolve(shape: readonly Dim[], bound: ReadonlyMap<string, number>): (number | undefined)[] {
  return shape.map((d) => (typeof d === "number" ? d : bound.get(d)));
}

function checkTarget(
  model: ValidModel,
  batch: TrainBatch,
  loss: LossConfig,
  output: string,
  bound: Map<string, number>,
) {
  const target: unknown = batch.target;
  const outShape = model.info.shapes.get(output) ?? [];
  const isCe = loss.kind === "softmaxCrossEntropy";
  const declared = isCe ? outShape.slice(0, -1) : outShape;
  const expected = resolve(declared, bound);
  const shown = formatShape(expected.map((d, i) => d ?? declared[i]!));
  const wantType = isCe ? Int32Array : Float32Array;
  if (!isTensor(target) || !(target.data instanceof wantType)) {
    throw new BackendError(
      "FEED_SHAPE",
      `target: expected ${isCe ? "int32 labels" : "a float32 tensor"} ${shown} for loss ${loss.kind} on output "${output}", ` +
        `got ${isTensor(target) ? `${target.data.constructor.name} ${formatShape(target.shape)}` : typeof target}`,
    );
  }
  const sizeOk = target.data.length === target.shape.reduce((a, b) => a * b, 1);
  const shapeOk =
    target.shape.length === expected.length && expected.every((d, i) => d === undefined || d === target.shape[i]);
  if (!shapeOk || !sizeOk) {
    throw new BackendError(
      "FEED_SHAPE",
      `target: expected ${shown} for loss ${loss.kind} on output "${output}", got ${formatShape(target.shape)}` +
        `${sizeOk ? "" : ` holding ${target.data.length} values`}; hint: ${isCe ? "labels are [T, B] or [B] class indices" : "the target is shaped like the output"}`,
    );
  }
  if (target.data instanceof Float32Array) {
    const bad = firstNonFinite(target.data);
    if (bad >= 0) {
      throw new BackendError(
        "NON_FINITE",
        `target: value ${target.data[bad]} at ${position(target.shape, bad)} is not finite`,
      );
    }
  } else {
    const classes = outShape.at(-1);
    for (let i = 0; i < target.data.length; i++) {
      const label = target.data[i]!;
      if (typeof classes === "number" && (label < 0 || label >= classes)) {
        throw new BackendError(
          "FEED_SHAPE",
          `target: label ${label} at ${position(target.shape, i)} is outside 0..${classes - 1} (output "${output}" has ${classes} classes)`,
        );
      }
    }
  }
}

/**
 * Checks every float feed and the target of a batch, for a loss (resolved: see `resolveTrainConfig`) on graph
 * output `output`; `truncating` adds the checks truncated BPTT needs (one time axis, lengths within it).
 * Target: float32 shaped like the output for mse; int32 labels shaped like the output without its last axis for
 * softmax cross-entropy.
 * @throws BackendError NON_FINITE naming the feed (or `target`) and the position of a NaN or infinity;
 *   FEED_SHAPE when the target's type or shape does not match the loss and the output (symbols bound by the input
 *   feeds) or a label is out of range; BAD_LENGTHS (truncated BPTT only) when a lengths value is outside 0..T.
 *   Missing or misshaped input feeds are left to the engine, which reports them before anything changes.
 */
export function checkTrainBatch(
  model: ValidModel,
  batch: TrainBatch,
  loss: LossConfig,
  output: string,
  truncating: boolean,
): TrainBatchFacts {
  if (typeof batch !== "object" || batch === null || typeof batch.inputs !== "object" || batch.inputs === null) {
    throw new BackendError("MISSING_FEED", "batch: expected { inputs, target }");
  }
  for (const [name, feed] of Object.entries(batch.inputs)) {
    if (!isTensor(feed) || !(feed.data instanceof Float32Array)) continue;
    const bad = firstNonFinite(feed.data, paddingOf(model, batch, name, feed.shape));
    if (bad >= 0) {
      throw new BackendError(
        "NON_FINITE",
        `feed "${name}": value ${feed.data[bad]} at ${position(feed.shape, bad)} is not finite`,
      );
    }
  }
  const bound = bindSymbols(model, batch);
  checkTarget(model, batch, loss, output, bound);
  let T: number | undefined;
  for (const node of model.nodes) {
    if (node.op !== "input" || !model.info.lengthsOf.has(node.id)) continue;
    const feed = batch.inputs[node.id];
    if (!isTensor(feed)) continue;
    if (truncating && T !== undefined && feed.shape[0] !== T) {
      throw new BackendError(
        "FEED_SHAPE",
        `feed "${node.id}": has ${feed.shape[0]} steps but another sequence input has ${T}; truncated BPTT needs one time axis`,
        node.id,
      );
    }
    T ??= feed.shape[0];
    const lengthsName = model.info.lengthsOf.get(node.id);
    const lengths = lengthsName === undefined ? undefined : batch.inputs[lengthsName];
    if (truncating && lengths instanceof Int32Array) {
      const i = lengths.findIndex((L) => L < 0 || L > feed.shape[0]!);
      if (i >= 0) {
        throw new BackendError(
          "BAD_LENGTHS",
          `feed "${lengthsName}": length ${lengths[i]} of sample ${i} is outside 0..${feed.shape[0]} (input "${node.id}")`,
        );
      }
    }
  }
  return { T };
}
