/**
 * Parameter specs per op: names, shapes and initializers, following PyTorch's names and layouts so that state
 * dicts map one to one (`weight_ih [G·H, D]`, `weight_hh [G·H, H]`, `bias_ih`, `bias_hh [G·H]`, `_reverse`
 * for the backward direction; dense `weight [O, I]`, `bias [O]`; conv1d `weight [O, I, K]`, `bias [O]`).
 * A weight is addressed `nodeId/param`.
 */
import { CELL_SPECS } from "./cells.js";
import { gatesOf, isTied, type LayerNode, type NodeOf, type Op, type Shape } from "./nodes.js";

/** How a parameter is initialized by `initWeights`. */
export type InitSpec =
  /** Glorot (Xavier) uniform: U(±√(6/(fanIn+fanOut))). */
  | { readonly kind: "glorotUniform"; readonly fanIn: number; readonly fanOut: number }
  /** Each of `blocks` square `[H, H]` row blocks orthogonal (recurrent weights). */
  | { readonly kind: "orthogonal"; readonly blocks: number }
  | { readonly kind: "zeros" }
  /** Zeros except gate block `block` of `blocks` set to `value` (LSTM forget-gate bias 1). */
  | { readonly kind: "gateBias"; readonly blocks: number; readonly block: number; readonly value: number };

/** One parameter of a node. */
export interface ParamSpec {
  /** Name within the node, e.g. `weight_ih_reverse`; the full key is `nodeId/name`. */
  readonly name: string;
  readonly shape: readonly number[];
  readonly init: InitSpec;
}

/** Given a node and its (validated) input shapes, the parameters it owns. */
type ParamRule<K extends Op> = (node: NodeOf<K>, inputs: readonly Shape[]) => readonly ParamSpec[];

const none = (): readonly ParamSpec[] => [];

/** The feature (last) dim of the first input; validation guarantees it is a number before params are asked. */
function inFeatures(node: LayerNode, inputs: readonly Shape[]): number {
  const last = inputs[0]?.at(-1);
  if (typeof last !== "number") throw new Error(`internal: node "${node.id}" has no numeric input feature dim`);
  return last;
}

function rnnParams(node: NodeOf<"rnn">, inputs: readonly Shape[]): readonly ParamSpec[] {
  const D = inFeatures(node, inputs);
  const H = node.units;
  const G = gatesOf(node.cell);
  const sets = node.direction === "bidirectional" && !isTied(node) ? ["", "_reverse"] : [""];
  const unit = CELL_SPECS[node.cell].unitBiasGate;
  const bias: InitSpec =
    unit === undefined ? { kind: "zeros" } : { kind: "gateBias", blocks: G, block: unit, value: 1 };
  return sets.flatMap((suffix) => [
    { name: `weight_ih${suffix}`, shape: [G * H, D], init: { kind: "glorotUniform", fanIn: D, fanOut: G * H } },
    { name: `weight_hh${suffix}`, shape: [G * H, H], init: { kind: "orthogonal", blocks: G } },
    // The forget bias of 1 goes into bias_ih only, so the effective bias (bias_ih + bias_hh) is 1.
    { name: `bias_ih${suffix}`, shape: [G * H], init: bias },
    { name: `bias_hh${suffix}`, shape: [G * H], init: { kind: "zeros" } },
  ]);
}

/** The parameter table: a new op does not compile until it states its parameters here. */
export const paramRules: { readonly [K in Op]: ParamRule<K> } = {
  input: none,
  dense: (node, inputs) => {
    const I = inFeatures(node, inputs);
    const weight: ParamSpec = {
      name: "weight",
      shape: [node.units, I],
      init: { kind: "glorotUniform", fanIn: I, fanOut: node.units },
    };
    return node.useBias ? [weight, { name: "bias", shape: [node.units], init: { kind: "zeros" } }] : [weight];
  },
  activation: none,
  dropout: none,
  frameStack: none,
  conv1d: (node, inputs) => {
    const I = inFeatures(node, inputs);
    const K = node.kernelSize;
    const weight: ParamSpec = {
      name: "weight",
      shape: [node.filters, I, K],
      init: { kind: "glorotUniform", fanIn: I * K, fanOut: node.filters * K },
    };
    return node.useBias ? [weight, { name: "bias", shape: [node.filters], init: { kind: "zeros" } }] : [weight];
  },
  rnn: rnnParams,
  lastStep: none,
  pool: none,
  repeat: none,
  concat: none,
  add: none,
  pad: none,
  magnitude: none,
};

/** The parameters of any node (dispatches on `op`). */
export function paramsOf(node: LayerNode, inputs: readonly Shape[]): readonly ParamSpec[] {
  return (paramRules[node.op] as ParamRule<typeof node.op>)(node as never, inputs);
}
