/**
 * The engine's internal API: a compiled model that runs forward (recording a tape) and backward.
 *
 * This is what `jsBackend().compile()`, `jsBackend().gradients()` and the trainer in `src/train/` are built on.
 * Contract (stable; keep in sync with README.md "Engine API"):
 *
 * - `compileProgram(model, weights)` copies every weight into a `Float32Array` owned by the program
 *   (`program.weights`, keyed `nodeId/param`, PyTorch layouts). An optimizer updates those arrays **in place**;
 *   every later `forward` reads the new values (a non-frozen program re-reads weights on each forward).
 * - `program.forward(feeds, { training, rng })` validates the feeds exactly like `Executable.run` (throws
 *   `BackendError` MISSING_FEED / FEED_SHAPE / BAD_LENGTHS / NON_FINITE / UNKNOWN_FEED) and returns a `Tape`
 *   holding every value of the graph, including each rnn's final states `<id>/h`, `<id>/c`.
 *   With `training: true`, dropout is active and draws from `rng` (required then).
 * - `program.backward(tape, seeds)` takes d loss / d value for one or more values (same length as the value's
 *   data; padded steps are ignored) and returns d loss / d weight for **every** weight and, unless
 *   `{ inputGrads: false }`, d loss / d feed for every float feed (inputs and fed `<id>/h`, `<id>/c` states).
 * - Buffers are reused between calls: a `Tape` and its values are valid until the next `forward` on the same
 *   program, and the arrays in a `Grads` until the next `backward`. Copy what you keep.
 * - A program is single-threaded and not re-entrant; one forward/backward pair at a time.
 */
import type { FeedSizes, Feeds, ValidModel, Weights } from "@recurrent/core";
import { ProgramImpl } from "./program-impl.js";
import type { Value } from "./value.js";

export type { Value } from "./value.js";

/** A uniform random source in [0, 1) (e.g. `createRng(seed)` from `@recurrent/core`). */
export interface Rng {
  next(): number;
}

/** Options of {@link Program.forward}. */
export interface ForwardOptions {
  /** Dropout active (default false). Requires `rng`. */
  readonly training?: boolean;
  /** Source of dropout masks; required when `training` is true and the model has a dropout node. */
  readonly rng?: Rng;
  /** Record what backward needs (default true). `false` is the inference fast path; backward then throws. */
  readonly record?: boolean;
}

/** The result of a forward pass: every value computed, by name. Valid until the next forward. */
export interface Tape {
  /** Values by name: node ids, rnn state outputs `<id>/h`, `<id>/c`, input ids, and fed states as `feed:<key>`. */
  readonly values: ReadonlyMap<string, Value>;
  /** Batch size B of this run. */
  readonly batch: number;
  /**
   * One value by name.
   * @throws BackendError BAD_CONFIG when the graph has no value of that name.
   */
  value(name: string): Value;
}

/** Gradients returned by {@link Program.backward}; arrays owned by the program, overwritten next backward. */
export interface Grads {
  /** d loss / d weight for every weight key, same layout as `program.weights`. */
  readonly weightGrads: ReadonlyMap<string, Float32Array>;
  /** d loss / d feed for every float feed of the run (inputs and fed states); zero at padded steps. */
  readonly inputGrads: ReadonlyMap<string, Float32Array>;
}

/** Options of {@link Program.backward}. */
export interface BackwardOptions {
  /** Also compute gradients w.r.t. the feeds (default true; the trainer passes false to save work). */
  readonly inputGrads?: boolean;
}

/** A compiled model. See the module comment for the ownership rules. */
export interface Program {
  readonly model: ValidModel;
  /** Live weights, keyed `nodeId/param`; mutate in place to update the model. */
  readonly weights: ReadonlyMap<string, Float32Array>;
  /** Shape of every weight, keyed like {@link Program.weights}. */
  readonly weightShapes: ReadonlyMap<string, readonly number[]>;
  /**
   * Runs the graph. `checked`: the feeds were checked (and their padded frames zeroed) already by core's
   * Executable shell, which passes what `checkModelFeeds` resolved; they are then not checked again.
   * @throws BackendError on bad feeds (see module comment), or BAD_CONFIG when training without an rng.
   */
  forward(feeds: Feeds, options?: ForwardOptions, checked?: FeedSizes): Tape;
  /**
   * Backpropagates `seeds` (d loss / d value, by value name) through the tape of the last forward.
   * @throws BackendError BAD_CONFIG when the tape is stale (another forward ran since), was not recorded, or a
   *   seed names an unknown value or has the wrong size.
   */
  backward(tape: Tape, seeds: ReadonlyMap<string, Float32Array>, options?: BackwardOptions): Grads;
  /**
   * Copies `weights` into the live arrays (restore from a checkpoint).
   * @throws BackendError WEIGHTS when a key is missing or a shape differs.
   */
  setWeights(weights: Weights): void;
  /** A deep copy of the current weights as tensors. */
  snapshotWeights(): Weights;
}

/** Options of {@link compileProgram}. */
export interface ProgramOptions {
  /**
   * The weights will never change (inference): derived forms such as packed matrices are prepared once instead
   * of on every forward. Default false.
   */
  readonly frozen?: boolean;
  /**
   * Weight keys (`node/param`) training leaves unchanged (core's `ResolvedTrainConfig.frozen`). Backward then
   * skips what only they need: a node whose every param is frozen and whose inputs depend on no trained weight
   * (a frozen encoder) is not backpropagated through when feed gradients are not asked for. Their entries in
   * `Grads.weightGrads` are then partial (zero where skipped). A node whose every param is frozen also packs its
   * weights once, like a `frozen` program: writing its arrays in place is then not seen, `setWeights` is (it
   * rebuilds the node when they change). Default: none.
   */
  readonly frozenWeights?: ReadonlySet<string>;
}

/**
 * Compiles a validated model for the JS engine.
 * @throws BackendError WEIGHTS when a weight is missing or has the wrong shape.
 */
export function compileProgram(model: ValidModel, weights: Weights, options: ProgramOptions = {}): Program {
  return new ProgramImpl(model, weights, options.frozen ?? false, options.frozenWeights);
}
