/**
 * Length-bucketed batching of whole sequences: each batch holds sequences of similar length, so a batch of
 * whole utterances pads little (a 3 s and a 0.3 s utterance in one batch waste 90 % of the short one's steps).
 */
import { createRng, shuffle } from "../weights/random.js";
import { TrainError } from "./errors.js";

/** The batches of one epoch, as lists of example indices; a function of the epoch only (exact resume). */
export type BatchPlan = (epoch: number) => readonly (readonly number[])[];

/** Options of {@link lengthBuckets}. */
export interface LengthBucketOptions {
  /** Sequences per batch (the last batch of a run of similar lengths may be smaller). */
  readonly batchSize: number;
  /** Shuffle the order of the batches (and ties of equal length) every epoch; default true. */
  readonly shuffle?: boolean;
  /** Seed of that shuffle; default 0. Epoch e's plan depends only on (seed, e). */
  readonly seed?: number;
}

/**
 * A batch plan for `fit({ batches })`: sort the examples by length (ties in a seeded random order), cut the sorted
 * list into consecutive batches of `batchSize`, then shuffle the batches. Every example is in exactly one batch
 * per epoch; a batch's longest member is at most the next batch's shortest (before the batch shuffle).
 * @param lengths frames of each example (index i = example i).
 * @throws TrainError `BAD_OPTIONS` when a length is not a non-negative integer, there are no examples, or
 *   `batchSize` is not a positive integer.
 */
export function lengthBuckets(lengths: readonly number[], options: LengthBucketOptions): BatchPlan {
  const { batchSize, shuffle: mix = true, seed = 0 } = options;
  if (!Number.isInteger(batchSize) || batchSize <= 0) {
    throw new TrainError("BAD_OPTIONS", `lengthBuckets: batchSize must be a positive integer, got ${batchSize}`);
  }
  if (lengths.length === 0) throw new TrainError("BAD_OPTIONS", "lengthBuckets: no examples (lengths is empty)");
  lengths.forEach((n, i) => {
    if (!Number.isInteger(n) || n < 0) {
      throw new TrainError("BAD_OPTIONS", `lengthBuckets: length of example ${i} is ${n}; expected an integer >= 0`);
    }
  });
  return (epoch) => {
    const order = Array.from(lengths, (_, i) => i);
    if (mix) shuffle(order, createRng(seed, `buckets.ties/${epoch}`));
    // Stable sort: equal lengths keep the shuffled order, so ties land in different batches every epoch.
    order.sort((a, b) => lengths[a]! - lengths[b]!);
    const batches: number[][] = [];
    for (let s = 0; s < order.length; s += batchSize) batches.push(order.slice(s, s + batchSize));
    if (mix) shuffle(batches, createRng(seed, `buckets.order/${epoch}`));
    return batches;
  };
}
