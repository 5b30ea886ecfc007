/**
 * Feeds for `Executable.run`, `gradients` and the trainer: checked by core's `checkModelFeeds`, then wrapped
 * into engine values.
 */
import {
  checkModelFeeds,
  type FeedSizes,
  type Feeds,
  type Tensor,
  type ValidModel,
  zeroPaddedFeeds,
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

/**
 * Checks `feeds` against the model's inputs (see core's `checkModelFeeds`) and wraps them into values, with
 * padded frames of sequence inputs zeroed.
 * @param sizes what `checkModelFeeds` resolved when the caller (core's Executable shell) has checked the feeds
 *   and zeroed their padded frames already.
 * @throws BackendError MISSING_FEED, FEED_SHAPE, BAD_LENGTHS, NON_FINITE or UNKNOWN_FEED (see README).
 */
export function checkFeeds(model: ValidModel, given: Feeds, sizes?: FeedSizes): CheckedFeeds {
  const { batch, plan } = sizes ?? checkModelFeeds(model, given);
  // Every value keeps its padded frames zero, and kernels rely on it (e.g. `add`, `concat` copy frames). Inputs
  // may carry anything past a sample's length (NaN included), so those get a zeroed copy (core's rule, once;
  // core's Executable shell, which passes `sizes`, has zeroed them already).
  const feeds = sizes === undefined ? zeroPaddedFeeds(model, given) : given;
  const inputs = new Map<string, Value>();
  const states = new Map<string, Value>();
  for (const node of plan.inputs) {
    const tensor = feeds[node.id] as Tensor;
    inputs.set(node.id, { shape: tensor.shape, data: tensor.data, lengths: undefined });
  }
  for (const { node, name } of plan.lengths) {
    const v = inputs.get(node.id)!;
    inputs.set(node.id, { shape: v.shape, data: v.data, lengths: feeds[name] as Int32Array });
  }
  for (const { key } of plan.states) {
    const tensor = feeds[key] as Tensor | undefined;
    if (tensor !== undefined) states.set(key, { shape: tensor.shape, data: tensor.data, lengths: undefined });
  }
  return { batch, inputs, states };
}

/** `feeds` plus initial states (truncated BPTT carries them between chunks). */
export function withStates(feeds: Feeds, states: Readonly<Record<string, Tensor>> | undefined): Feeds {
  return states === undefined ? feeds : { ...feeds, ...states };
}
