/**
 * A conformance case as data: a graph, the sizes of its symbolic dims, the valid lengths of every lengths feed,
 * which initial states are fed by key, and the scalar loss whose gradients are checked. Weights, inputs, targets
 * and every expected number live in the case's fixture, made from this definition by the PyTorch generator in
 * `tooling/fixtures/` (see README.md).
 */
import {
  assertValid,
  BATCH,
  changesTime,
  DEFAULT_LENGTHS,
  derivedTime,
  type Graph,
  type LayerNode,
  type LossKind,
  outputSteps,
  sequential,
  TIME,
} from "@recurrent/core";

/** The loss a case's gradients are taken of (masked by the output's lengths, see core's `train/config.ts`). */
export interface CaseLoss {
  readonly kind: LossKind;
  /** The graph output the loss reads; default the first output. */
  readonly output?: string;
  /** Softmax cross-entropy: one weight per class; binary cross-entropy: `[w0, w1]`. */
  readonly classWeights?: readonly number[];
  /** Binary cross-entropy only: the output holds logits (default: probabilities). */
  readonly fromLogits?: boolean;
}

/** One conformance case. Its `name` is also the graph's name and the fixture's file stem. */
export interface Case {
  /** Kebab-case, family first, e.g. `lstm-reverse`. */
  readonly name: string;
  /** What the case pins down, in one sentence. */
  readonly description: string;
  readonly graph: Graph;
  /**
   * The value of every symbolic dim: `batch`, each input's time symbol (e.g. `{ batch: 3, time: 5 }`), and the
   * `"<id>.time"` axis of each node that changes the number of steps (a strided conv1d, a pad), from core's
   * `outputSteps`; the generator's PyTorch shapes are checked against those.
   */
  readonly sizes: Readonly<Record<string, number>>;
  /** Valid steps per sample for every lengths feed, each in 0..T. */
  readonly lengths: Readonly<Record<string, readonly number[]>>;
  /** Initial states fed by key (`<rnnId>/h`, `<rnnId>/c`) rather than through wired state inputs. */
  readonly stateFeeds: readonly string[];
  readonly loss: CaseLoss;
  /** Seeds the generator's weights, inputs and targets. */
  readonly seed: number;
  /**
   * Input elements the generator sets to exactly 0 after drawing, `[t, b, f]` (sequence) or `[b, f]` (vector) per
   * input id: e.g. a zero real/imaginary pair, where `magnitude`'s gradient rule (0 where y = 0) applies.
   */
  readonly zeros?: Readonly<Record<string, readonly (readonly number[])[]>>;
}

/** What {@link defineCase} takes: a graph (or a layer chain) plus sizes; most fields have defaults. */
export interface CaseInit {
  readonly name: string;
  readonly description: string;
  /** A hand-wired graph (its name is replaced by the case name) or a layer chain for `sequential`. */
  readonly graph: Graph | readonly LayerNode[];
  /** Batch size; default 3. */
  readonly batch?: number;
  /** Time steps per time symbol; default `{ time: 5 }`. */
  readonly time?: Readonly<Record<string, number>>;
  /** Lengths per lengths feed; default `{ lengths: [5, 1, 3] }`. */
  readonly lengths?: Readonly<Record<string, readonly number[]>>;
  readonly stateFeeds?: readonly string[];
  /** Default MSE on the first output. */
  readonly loss?: CaseLoss;
  /** Default: a hash of the name, so that reordering cases does not change fixtures. */
  readonly seed?: number;
  readonly zeros?: Readonly<Record<string, readonly (readonly number[])[]>>;
}

/** FNV-1a of a string, as an unsigned 31-bit seed. */
export function seedOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & 0x7fffffff;
}

/**
 * Adds the `"<id>.time"` sizes of the nodes that change the number of steps, in node order (a chain of them reads
 * the size just added).
 * @throws IrError (from core) when the graph is invalid.
 */
function withDerivedSizes(graph: Graph, sizes: Record<string, number>): Record<string, number> {
  const resamplers = graph.nodes.filter((n) => (n.op === "conv1d" || n.op === "pad") && changesTime(n));
  if (resamplers.length === 0) return sizes;
  const { info } = assertValid(graph);
  const out = { ...sizes };
  for (const node of resamplers) {
    if (node.op !== "conv1d" && node.op !== "pad") continue;
    const time = info.shapes.get(node.inputs[0] as string)?.[0];
    const steps = typeof time === "number" ? time : out[time as string];
    if (steps === undefined) throw new Error(`case ${graph.name}: no size for the time axis ${String(time)}`);
    out[derivedTime(node)] = outputSteps(node, steps);
  }
  return out;
}

/** Builds a {@link Case} with defaults filled in (3 samples, T = 5, lengths 5, 1, 3, MSE). */
export function defineCase(init: CaseInit): Case {
  const graph: Graph = Array.isArray(init.graph)
    ? sequential(init.name, init.graph as readonly LayerNode[])
    : { ...(init.graph as Graph), name: init.name };
  return {
    name: init.name,
    description: init.description,
    graph,
    sizes: withDerivedSizes(graph, { [BATCH]: init.batch ?? 3, ...(init.time ?? { [TIME]: 5 }) }),
    lengths: init.lengths ?? { [DEFAULT_LENGTHS]: [5, 1, 3] },
    stateFeeds: init.stateFeeds ?? [],
    loss: init.loss ?? { kind: "mse" },
    seed: init.seed ?? seedOf(init.name),
    ...(init.zeros === undefined ? {} : { zeros: init.zeros }),
  };
}
