/**
 * The kernel contract. A kernel turns one IR node into a `NodeRunner` once, at compile time; the runner then
 * runs forward (keeping what backward needs in its own reusable buffers) and backward any number of times.
 */
import type { NodeOf, Op, Shape } from "@recurrent/core";
import type { Rng } from "./program.js";
import type { Value } from "./value.js";

/** What a kernel sees when it builds a runner. */
export interface CompileEnv {
  /** Static shapes of the node's inputs, positional (symbolic dims left open; `[]` for a skipped input). */
  readonly inputShapes: readonly Shape[];
  /** The live weight array of one of the node's params (mutated in place by optimizers). */
  weight(param: string): Float32Array;
  /** The weights never change: derived forms (packed matrices) may be prepared once. */
  readonly frozen: boolean;
}

/** Per-run facts handed to every forward. */
export interface ForwardContext {
  readonly training: boolean;
  readonly rng: Rng | undefined;
  /** Keep what backward needs. */
  readonly record: boolean;
}

/** What a runner's backward may ask for. */
export interface BackwardContext {
  /** The zeroed accumulator of d loss / d input `i` (same size as that input), or undefined when not needed. */
  inputGrad(i: number): Float32Array | undefined;
  /** The accumulator of d loss / d param (zeroed once per backward; add into it). */
  weightGrad(param: string): Float32Array;
}

/** One compiled node. */
export interface NodeRunner {
  /**
   * Computes the node's outputs (in `outputsOf(node)` order) from its inputs (positional; undefined for a
   * skipped optional input). Must not write into the inputs. Output buffers may be reused by the next forward.
   */
  forward(inputs: readonly (Value | undefined)[], ctx: ForwardContext): readonly Value[];
  /**
   * Given d loss / d output (positional; undefined for an output nobody reads), adds d loss / d input into
   * `ctx.inputGrad(i)` and d loss / d param into `ctx.weightGrad(p)`. Uses what the last recorded forward kept.
   */
  backward(dOutputs: readonly (Float32Array | undefined)[], ctx: BackwardContext): void;
}

/** A kernel: builds the runner of one node of op `K`. */
export type Kernel<K extends Op> = (node: NodeOf<K>, env: CompileEnv) => NodeRunner;

/** The kernel table: one kernel per op, so that a new op does not compile until it has one. */
export type KernelTable = { readonly [K in Op]: Kernel<K> };
