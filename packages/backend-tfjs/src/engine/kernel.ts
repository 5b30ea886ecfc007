/**
 * The kernel contract: a kernel maps one IR node onto TensorFlow.js ops. It runs inside the caller's `tf.tidy`
 * (or gradient tape), so it may create intermediate tensors freely and never disposes anything itself.
 * Gradients come from tfjs autodiff through whatever ops the kernel uses.
 */
import type { NodeOf, Op, Rng } from "@recurrent/core";
import type { Tf, TfTensor } from "../tf.js";
import type { Lengths } from "./lengths.js";

/** What a kernel sees while it runs. */
export interface KernelContext {
  readonly tf: Tf;
  /** Dropout active. */
  readonly training: boolean;
  /** Source of dropout masks (set when `training`). */
  readonly rng: Rng | undefined;
  /**
   * Set only when nothing records gradients (inference): a recurrent kernel may then run the time axis in chunks
   * of this many steps, each in its own `tf.tidy`, and dispose the intermediate tensors it made and no longer needs.
   */
  readonly chunkSteps: number | undefined;
  /** A parameter of this node, PyTorch layout. @throws BackendError WEIGHTS when it does not exist. */
  weight(param: string): TfTensor;
  /** The valid lengths of a sequence value by name (undefined: not a sequence, or every step valid). */
  lengthsOf(value: string): Lengths | undefined;
  /**
   * A tensor derived from this node's weights only (a transpose, a reordering, a bias sum), named `name` within
   * the node: made once and cached when the weights are frozen (inference), made on every run when they train
   * (so that gradients flow through it).
   */
  derive(name: string, make: () => TfTensor): TfTensor;
}

/**
 * Computes a node's outputs (in `outputsOf(node)` order) from its inputs (positional; undefined for a skipped
 * optional input such as an unfed initial state).
 */
export type Kernel<K extends Op> = (
  node: NodeOf<K>,
  inputs: readonly (TfTensor | undefined)[],
  ctx: KernelContext,
) => readonly TfTensor[];

/** One kernel per op, so that a new op does not compile until it has one. */
export type KernelTable = { readonly [K in Op]: Kernel<K> };
