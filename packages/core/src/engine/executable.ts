/**
 * The Executable shell, written once for every backend: the disposed check, fetch and feed checks, batch 0 and
 * `dispose()` while runs are in flight. A backend supplies only an {@link InferenceEngine} that computes the
 * fetched values from feeds that already passed every check.
 */
import type { Executable, Feeds, Outputs, RunOptions } from "../backend/backend.js";
import { checkModelFeeds, type FeedSizes, zeroPaddedFeeds } from "../backend/check-feeds.js";
import { BackendError } from "../backend/errors.js";
import { bindDerivedTimes } from "../backend/time-steps.js";
import type { ValidModel } from "../ir/valid-model.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkFetch } from "./fetch.js";

/** What a backend supplies to run a compiled model (see {@link createExecutable}). */
export interface InferenceEngine {
  /**
   * Computes every value in `fetch` (names checked to be values of the model) from `feeds`, which passed core's
   * `checkModelFeeds` (`sizes` is what it resolved: B ≥ 1 and every symbol's size), padded input frames zeroed
   * (`zeroPaddedFeeds`). Returned tensors belong to
   * the caller. May return synchronously: the shell then adds no await, so a per-frame stream pays nothing.
   */
  run(feeds: Feeds, fetch: readonly string[], sizes: FeedSizes): Outputs | Promise<Outputs>;
  /** Releases what the engine holds; called once, after every run in flight has settled. */
  dispose(): void | Promise<void>;
}

/**
 * Wraps `engine` into the `Executable` every backend returns from `compile`.
 * - `run` checks, in order: disposed (DISPOSED), `fetch` (BAD_CONFIG naming the value), the feeds (core's
 *   `checkModelFeeds`: MISSING_FEED, UNKNOWN_FEED, FEED_SHAPE, BAD_LENGTHS, NON_FINITE). A batch of 0 samples
 *   returns empty tensors of the fetched values' shapes without calling the engine (some runtimes crash on it).
 * - `dispose` refuses new runs at once (DISPOSED), lets runs in flight finish with their results, then releases
 *   the engine; calling it again returns the same promise.
 */
export function createExecutable(model: ValidModel, engine: InferenceEngine): Executable {
  return new EngineExecutable(model, engine);
}

class EngineExecutable implements Executable {
  readonly model: ValidModel;
  readonly #engine: InferenceEngine;
  #inFlight = 0;
  #settled: (() => void) | undefined;
  #disposing: Promise<void> | undefined;

  constructor(model: ValidModel, engine: InferenceEngine) {
    this.model = model;
    this.#engine = engine;
  }

  run(feeds: Feeds, options?: RunOptions): Promise<Outputs> {
    let result: Outputs | Promise<Outputs>;
    try {
      if (this.#disposing !== undefined) {
        throw new BackendError("DISPOSED", `run(): the executable of model "${this.model.name}" was disposed`);
      }
      const fetch = options?.fetch ?? this.model.outputs;
      checkFetch(this.model, fetch);
      const sizes = checkModelFeeds(this.model, feeds);
      const derived = bindDerivedTimes(this.model, boundSymbols(sizes));
      const empty = sizes.batch === 0 ? emptyOutputs(this.model, fetch, derived) : undefined;
      if (empty !== undefined) return Promise.resolve(empty);
      // Padded frames are ignored whatever they hold: zeroed here, so no kernel ever sees a NaN there.
      result = this.#engine.run(zeroPaddedFeeds(this.model, feeds), fetch, sizes);
    } catch (err) {
      return Promise.reject(err);
    }
    // A synchronous engine has nothing in flight: no other call can run before it returns.
    if (!(result instanceof Promise)) return Promise.resolve(result);
    this.#inFlight++;
    return result.finally(() => {
      this.#inFlight--;
      if (this.#inFlight === 0) this.#settled?.();
    });
  }

  dispose(): Promise<void> {
    this.#disposing ??= (async () => {
      if (this.#inFlight > 0) {
        await new Promise<void>((resolve) => {
          this.#settled = resolve;
        });
      }
      await this.#engine.dispose();
    })();
    return this.#disposing;
  }
}

/** The symbols the feeds bound (size ≥ 0), by name. */
function boundSymbols(sizes: FeedSizes): Map<string, number> {
  const bound = new Map<string, number>();
  sizes.plan.symbols.forEach((symbol, i) => {
    const size = sizes.dims[i] ?? -1;
    if (size >= 0) bound.set(symbol, size);
  });
  return bound;
}

/**
 * Empty tensors for a batch of 0 samples: each value's inferred shape with its symbols replaced by the fed sizes
 * and the derived time axes' sizes (every value has a batch axis, so each is empty). Undefined when some symbol
 * is not bound by a feed.
 */
function emptyOutputs(
  model: ValidModel,
  fetch: readonly string[],
  sizes: ReadonlyMap<string, number>,
): Outputs | undefined {
  if (sizes.get("batch") !== 0) return undefined;
  const out: Record<string, Tensor> = {};
  for (const name of fetch) {
    const shape: number[] = [];
    for (const dim of model.info.shapes.get(name) ?? []) {
      const size = typeof dim === "number" ? dim : (sizes.get(dim) ?? -1);
      if (size < 0) return undefined;
      shape.push(size);
    }
    out[name] = { shape, data: new Float32Array(0) };
  }
  return out;
}
