/**
 * Messages between the trainer's thread and its workers (structured clone; gradients come back transferred).
 * Weights travel once per step through a SharedArrayBuffer laid out by {@link WeightLayout}.
 */
import type { Feeds, Tensor } from "@recurrent/core";
import type { ProgramOptions } from "../engine/program.js";
import type { KernelMode, ProductKernelChoice } from "../math/wasm/simd-support.js";

/** Where each weight lives in the shared weight buffer (and in a packed gradient array), in program order. */
export interface WeightLayout {
  readonly keys: readonly string[];
  readonly shapes: readonly (readonly number[])[];
  /** Float offsets, one per key. */
  readonly offsets: readonly number[];
  /** Floats in all. */
  readonly total: number;
}

/** Lays out `weights` one after the other. */
export function weightLayout(
  weights: ReadonlyMap<string, Float32Array>,
  shapes: ReadonlyMap<string, readonly number[]>,
) {
  const keys = [...weights.keys()];
  const offsets: number[] = [];
  let total = 0;
  for (const key of keys) {
    offsets.push(total);
    total += weights.get(key)!.length;
  }
  return { keys, shapes: keys.map((k) => shapes.get(k)!), offsets, total } satisfies WeightLayout;
}

/** Views on `buffer`, one per weight of `layout`. */
export function weightViews(layout: WeightLayout, buffer: ArrayBufferLike): Map<string, Float32Array> {
  return new Map(
    layout.keys.map((key, i) => {
      const length = layout.shapes[i]!.reduce((a, b) => a * b, 1);
      return [key, new Float32Array(buffer, layout.offsets[i]! * 4, length)];
    }),
  );
}

/** Sent once: what to compile. The graph is validated again in the worker (a clone is not a `ValidModel`). */
export interface InitMessage {
  readonly kind: "init";
  readonly graph: {
    readonly format: unknown;
    readonly name: string;
    readonly nodes: unknown;
    readonly outputs: unknown;
  };
  readonly options: ProgramOptions;
  readonly output: string;
  readonly layout: WeightLayout;
  readonly weights: SharedArrayBuffer;
}

/** One shard of a step: the runner slot that holds it, its feeds and its dropout seed. */
export interface ShardJob {
  readonly slot: number;
  readonly feeds: Feeds;
  readonly seed: number;
}

export interface ForwardMessage {
  readonly kind: "forward";
  readonly id: number;
  /** The calling thread's kernel settings (tests force kernels; every shard must run the same arithmetic). */
  readonly mode: KernelMode;
  readonly product: ProductKernelChoice;
  readonly carry: boolean;
  readonly shards: readonly ShardJob[];
}

export interface BackwardMessage {
  readonly kind: "backward";
  readonly id: number;
  /** d loss / d output per shard, in the order of the forward's shards. */
  readonly seeds: readonly Float32Array[];
}

/** One shard of a one-message step (MSE): its job, its slice of the target and its feed sizes. */
export interface StepJob extends ShardJob {
  readonly target: Tensor;
  /** `FeedSizes` of the shard without the plan (the worker adds its own). */
  readonly batch: number;
  readonly dims: readonly number[];
}

/** Forward, loss and backward of the worker's shards (shard-loss.ts), normalised by the whole batch's `count`. */
export interface StepMessage {
  readonly kind: "step";
  readonly id: number;
  readonly mode: KernelMode;
  readonly product: ProductKernelChoice;
  readonly carry: boolean;
  readonly count: number;
  readonly shards: readonly StepJob[];
}

export type ToWorker = InitMessage | ForwardMessage | BackwardMessage | StepMessage;

export interface ForwardReply {
  readonly kind: "forward";
  readonly id: number;
  readonly outputs: readonly {
    readonly shape: readonly number[];
    readonly data: Float32Array;
    readonly lengths: Int32Array | undefined;
  }[];
  readonly states: readonly Readonly<Record<string, Tensor>>[];
}

export interface BackwardReply {
  readonly kind: "backward";
  readonly id: number;
  /** Per shard, every weight's gradient packed by the layout. */
  readonly grads: readonly Float32Array[];
}

export interface StepReply {
  readonly kind: "step";
  readonly id: number;
  /** Per shard: Σ (y − target)² over its valid frames, and those frames. */
  readonly sums: readonly number[];
  readonly frames: readonly number[];
  readonly states: readonly Readonly<Record<string, Tensor>>[];
  /** Per shard, every weight's gradient packed by the layout. */
  readonly grads: readonly Float32Array[];
}

/** A failure in the worker, rethrown on the calling thread (a BackendError keeps its code). */
export interface ErrorReply {
  readonly kind: "error";
  readonly id: number;
  readonly code: string | undefined;
  readonly message: string;
}

export type FromWorker = ForwardReply | BackwardReply | StepReply | ErrorReply;
