/**
 * `ValidModel`: a graph that passed `assertValid`, with what validation learnt about it. Backends accept only
 * this type, so an unchecked graph cannot reach a kernel.
 */
import type { Graph, Shape } from "./nodes.js";
import type { ParamSpec } from "./params.js";

declare const validBrand: unique symbol;

/** Facts inferred while validating, for backends and exporters. */
export interface ModelInfo {
  /** Shape of every value (node outputs and `rnn` states), with `"batch"` / time symbols left open. */
  readonly shapes: ReadonlyMap<string, Shape>;
  /** For every sequence value: the name of the lengths feed that masks it (undefined: no lengths feed, all steps valid). */
  readonly lengthsOf: ReadonlyMap<string, string | undefined>;
  /** Parameters of every node that has any, by node id. */
  readonly params: ReadonlyMap<string, readonly ParamSpec[]>;
}

/** A graph that passed validation. Create one with `assertValid(graph)`. */
export type ValidModel = Graph & { readonly [validBrand]: true; readonly info: ModelInfo };
