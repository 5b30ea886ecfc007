/**
 * How data-parallel training splits a batch: into shards fixed by the batch size alone (never by the thread
 * count), so that summing the shards' gradients in shard order gives the same bits on 1, 2 or 4 threads.
 * Splitting and joining along the batch axis of feeds, outputs and states.
 */
import type { FeedPlan, Feeds, Tensor } from "@recurrent/core";
import type { Value } from "../engine/value.js";

/**
 * Fewest samples per shard. The per-step products of a recurrent layer run at about the same speed per sample
 * from B = 16 up, but markedly slower at B = 8 (more of each packed weight panel is re-read per row), so smaller
 * shards would cost more than a second core gives.
 */
export const MIN_SHARD = 16;
/** Most shards per batch: past this, larger shards (a batch of 256 gets 8 shards of 32). */
export const MAX_SHARDS = 8;

let minShard = MIN_SHARD;

/**
 * Overrides {@link MIN_SHARD} in this process (tests: shards of 1 sample put the small batches of the torch
 * trainer fixtures through the sharded path). Takes effect at the next step.
 */
export function setMinShard(samples: number): void {
  minShard = samples;
}

/** One shard: samples `start .. start + size − 1` of the batch. */
export interface Shard {
  readonly index: number;
  readonly start: number;
  readonly size: number;
}

/**
 * The shards of a batch of `B` samples: `min(MAX_SHARDS, floor(B / MIN_SHARD))` of them (at least 1), as equal
 * as possible, the larger ones first. Depends on `B` only.
 */
export function shardsOf(B: number): Shard[] {
  const count = Math.max(1, Math.min(MAX_SHARDS, Math.floor(B / minShard)));
  const base = Math.floor(B / count);
  const extra = B % count;
  const shards: Shard[] = [];
  let start = 0;
  for (let index = 0; index < count; index++) {
    const size = base + (index < extra ? 1 : 0);
    shards.push({ index, start, size });
    start += size;
  }
  return shards;
}

/**
 * The shards each of `threads` runners takes: contiguous runs of shard indices, runner 0 first (runner 0 is
 * the calling thread). Runners beyond the shard count get none.
 */
export function assignShards(shards: readonly Shard[], threads: number): Shard[][] {
  const out: Shard[][] = Array.from({ length: threads }, () => []);
  const per = Math.ceil(shards.length / Math.max(1, Math.min(threads, shards.length)));
  for (const [i, shard] of shards.entries()) out[Math.floor(i / per)]!.push(shard);
  return out;
}

/** Samples `start .. start + size − 1` along axis `axis` of a row-major array of shape `shape`. */
export function sliceBatch<A extends Float32Array | Int32Array>(
  data: A,
  shape: readonly number[],
  axis: number,
  start: number,
  size: number,
): A {
  const B = shape[axis]!;
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  let inner = 1;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  const out = new (data.constructor as new (n: number) => A)(outer * size * inner);
  for (let o = 0; o < outer; o++) {
    out.set(data.subarray((o * B + start) * inner, (o * B + start + size) * inner), o * size * inner);
  }
  return out;
}

/**
 * Joins per-shard arrays (shard order, each `parts[i]` of shape `shape` with `sizes[i]` samples on `axis`) into
 * one array of `B = Σ sizes` samples.
 */
export function joinBatch(
  parts: readonly Float32Array[],
  sizes: readonly number[],
  shape: readonly number[],
  axis: number,
): Float32Array {
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  let inner = 1;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  const B = sizes.reduce((a, b) => a + b, 0);
  const out = new Float32Array(outer * B * inner);
  let start = 0;
  parts.forEach((part, i) => {
    const size = sizes[i]!;
    for (let o = 0; o < outer; o++) {
      out.set(part.subarray(o * size * inner, (o + 1) * size * inner), (o * B + start) * inner);
    }
    start += size;
  });
  return out;
}

/** The batch axis of an engine value: 1 for a sequence `[T, B, D]` or a state `[directions, B, H]`, else 0. */
export function valueBatchAxis(shape: readonly number[]): number {
  return shape.length === 3 ? 1 : 0;
}

/**
 * The feeds of one shard: every input cut on its `"batch"` dim, every lengths feed and fed state
 * (`[directions, B, H]`) on theirs. Feeds must have been checked (`checkModelFeeds`).
 */
export function shardFeeds(plan: FeedPlan, feeds: Feeds, shard: Shard): Record<string, Tensor | Int32Array> {
  const out: Record<string, Tensor | Int32Array> = {};
  for (const node of plan.inputs) {
    const t = feeds[node.id] as Tensor;
    const axis = node.shape.indexOf("batch");
    out[node.id] = cut(t, axis, shard);
  }
  for (const { name } of plan.lengths) {
    const lengths = feeds[name] as Int32Array;
    out[name] = lengths.slice(shard.start, shard.start + shard.size);
  }
  for (const { key } of plan.states) {
    const t = feeds[key] as Tensor | undefined;
    if (t !== undefined) out[key] = cut(t, 1, shard);
  }
  return out;
}

function cut(t: Tensor, axis: number, shard: Shard): Tensor {
  const shape = t.shape.map((d, i) => (i === axis ? shard.size : d));
  return { shape, data: sliceBatch(t.data, t.shape, axis, shard.start, shard.size) };
}

/** Whether every input of the model has a `"batch"` dim to split on (otherwise the batch is not sharded). */
export function shardable(plan: FeedPlan): boolean {
  return plan.inputs.every((node) => node.shape.includes("batch"));
}

/** One value of each shard (same name), joined along its batch axis; lengths joined too when set. */
export function joinValues(parts: readonly Value[], sizes: readonly number[]): Value {
  const first = parts[0]!;
  const axis = valueBatchAxis(first.shape);
  const B = sizes.reduce((a, b) => a + b, 0);
  const shape = first.shape.map((d, i) => (i === axis ? B : d));
  const data = joinBatch(
    parts.map((p) => p.data),
    sizes,
    first.shape.map((d, i) => (i === axis ? 0 : d)),
    axis,
  );
  let lengths: Int32Array | undefined;
  if (first.lengths !== undefined) {
    lengths = new Int32Array(B);
    let start = 0;
    parts.forEach((p, i) => {
      lengths!.set(p.lengths!, start);
      start += sizes[i]!;
    });
  }
  return { shape, data, lengths };
}
