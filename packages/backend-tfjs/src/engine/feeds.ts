/**
 * Feeds for `Executable.run`, `gradients` and the trainer: checked on the host by core's `checkModelFeeds`
 * before anything reaches the device, then gathered by kind.
 */
import {
  checkModelFeeds,
  type FeedSizes,
  type Feeds,
  type Tensor,
  type ValidModel,
  zeroPaddedFeeds,
} from "@recurrent/core";
import { boundDims } from "./steps.js";

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
  /** The size of each symbolic dim this batch binds, derived time axes included (see `boundDims`). */
  readonly dims: ReadonlyMap<string, number>;
}

/**
 * Checks `given` against the model's inputs and gathers them, with padded input frames zeroed.
 * @throws BackendError MISSING_FEED, FEED_SHAPE, BAD_LENGTHS, NON_FINITE or UNKNOWN_FEED (see core's
 *   `checkModelFeeds`); FEED_SHAPE naming the node when an input is too short for a strided or `valid` conv1d
 *   or a reflect pad (see `boundDims`).
 * @param sizes what `checkModelFeeds` resolved, when the caller (core's Executable shell) has checked the feeds
 *   and zeroed their padded frames already.
 */
export function checkFeeds(model: ValidModel, given: Feeds, sizes?: FeedSizes): CheckedFeeds {
  const { batch, plan } = sizes ?? checkModelFeeds(model, given);
  // Padded frames may hold anything (NaN included); zeros there keep a NaN out of every masked product.
  const feeds = sizes === undefined ? zeroPaddedFeeds(model, given) : given;
  const inputs = new Map<string, Tensor>();
  const lengths = new Map<string, { host: Int32Array; T: number }>();
  const states = new Map<string, Tensor>();
  for (const node of plan.inputs) inputs.set(node.id, feeds[node.id] as Tensor);
  for (const { node, name } of plan.lengths) {
    const host = feeds[name] as Int32Array | undefined;
    if (host !== undefined) lengths.set(name, { host, T: inputs.get(node.id)!.shape[0]! });
  }
  for (const { key } of plan.states) {
    const feed = feeds[key] as Tensor | undefined;
    if (feed !== undefined) states.set(key, feed);
  }
  return { batch, inputs, lengths, states, dims: boundDims(model, inputs) };
}
