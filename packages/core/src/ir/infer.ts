/**
 * Shape inference: one rule per op, in a table mapped over `Op` so that a new op does not compile until it has
 * a rule. Values are sequences `[time, batch, D]` (time a symbol such as `"time"`, or a fixed number of steps),
 * vectors `[batch, D]`, or recurrent states `[directions, batch, units]`.
 */
import type { Issue, IssueCode } from "./errors.js";
import { show, showShape } from "./excerpt.js";
import {
  BATCH,
  type Dim,
  directionsOf,
  type Graph,
  type LayerNode,
  type NodeOf,
  type Op,
  outputsOf,
  rnnOutputUnits,
  type Shape,
  stateOutputs,
} from "./nodes.js";
import { prepareNodes } from "./order.js";
import { changesTime, derivedTime, minInputSteps, outputSteps } from "./resample.js";
import { checkInputAxes } from "./time-axes.js";

/** What a value is: a sequence `[time, batch, D]`, a vector `[batch, D]` or a state `[directions, batch, units]`. */
export type ValueKind = "sequence" | "vector" | "state";

/** A value's inferred shape, kind and (for sequences) the lengths feed that masks it. */
export interface ValueInfo {
  readonly shape: Shape;
  readonly kind: ValueKind;
  /** Sequences only: the lengths feed of the input the value derives from (undefined: no lengths feed, every step valid). */
  readonly lengths: string | undefined;
}

/** Where a rule reports what is wrong with its node; the node id and op are added for it. */
export interface RuleContext {
  report(code: IssueCode, message: string, details?: Pick<Issue, "expected" | "found" | "hint">): void;
}

/**
 * The shape rule of one op: given the node (options already checked) and its input values (`undefined` for a
 * skipped `""` input), the values it produces in the order of `outputsOf(node)`. A rule that reports an issue
 * produces nothing.
 */
export type Rule<K extends Op> = (
  node: NodeOf<K>,
  inputs: readonly (ValueInfo | undefined)[],
  ctx: RuleContext,
) => readonly ValueInfo[] | undefined;

const LAYOUT: { readonly [K in ValueKind]: string } = {
  sequence: "[time, batch, D]",
  vector: "[batch, D]",
  state: "[directions, batch, units]",
};

/** Input `i` of `node` if it is one of `kinds`; otherwise reports RANK. */
function need(
  node: LayerNode,
  inputs: readonly (ValueInfo | undefined)[],
  i: number,
  kinds: readonly ValueKind[],
  ctx: RuleContext,
): ValueInfo | undefined {
  const value = inputs[i];
  if (value === undefined) return undefined;
  if (kinds.includes(value.kind)) return value;
  const expected = kinds.map((k) => `a ${k} ${LAYOUT[k]}`).join(" or ");
  ctx.report(
    "RANK",
    `input ${show(node.inputs[i])} is a ${value.kind} ${showShape(value.shape)}, expected ${expected}`,
    {
      expected,
      found: showShape(value.shape),
      hint: hintFor(node.op, value.kind, kinds),
    },
  );
  return undefined;
}

function hintFor(op: Op, found: ValueKind, expected: readonly ValueKind[]): string {
  if (!expected.includes("sequence") && !expected.includes("vector")) {
    return "an initial state is another rnn's <id>/h or <id>/c, or a stateInput";
  }
  if (found === "state")
    return "a state <id>/h feeds another rnn's h0; to use it as features, read the rnn's main output";
  if (found === "vector")
    return op === "rnn" ? "turn a vector into a sequence with repeat" : "use a sequence value here";
  return op === "repeat"
    ? "reduce a sequence to a vector with lastStep or pool first"
    : "reduce it with lastStep or pool";
}

const features = (value: ValueInfo): number => value.shape[value.shape.length - 1] as number;
const withFeatures = (value: ValueInfo, d: number): ValueInfo => ({
  ...value,
  shape: [...value.shape.slice(0, -1), d],
});
const sameKind = (node: LayerNode, ins: readonly (ValueInfo | undefined)[], ctx: RuleContext) => {
  const x = need(node, ins, 0, ["sequence", "vector"], ctx);
  return x && [x];
};

/** Shape rules, one per op. */
export const inferRules: { readonly [K in Op]: Rule<K> } = {
  input: (node, _ins, ctx) => {
    const s = node.shape;
    const lengthsOnly = node.lengths !== undefined;
    const featureDim = s[s.length - 1];
    if (s.length !== 2 && s.length !== 3) {
      ctx.report("RANK", `input shape ${showShape(s)} has rank ${s.length}`, {
        expected: "[time, batch, D], [batch, D] or [directions, batch, units]",
        found: showShape(s),
      });
      return undefined;
    }
    if (s[s.length - 2] !== BATCH) {
      ctx.report("BATCH_MISMATCH", `input shape ${showShape(s)} has batch dim ${show(s[s.length - 2])}`, {
        expected: `the symbol ${show(BATCH)}`,
        hint: "every value shares one symbolic batch dim; the batch size is chosen per run",
      });
    }
    if (!Number.isInteger(featureDim) || (featureDim as number) <= 0) {
      ctx.report("BAD_OPTION", `input shape ${showShape(s)} has feature dim ${show(featureDim)}`, {
        expected: "a positive integer",
      });
    }
    if (s.length === 2) {
      if (lengthsOnly)
        ctx.report("BAD_OPTION", "option lengths applies only to a sequence input", { hint: "remove it" });
      return [{ shape: s, kind: "vector", lengths: undefined }];
    }
    const t = s[0];
    const goodTime = typeof t === "string" ? t !== "" && t !== BATCH : Number.isInteger(t) && (t as number) > 0;
    if (!goodTime) {
      ctx.report("BAD_OPTION", `input shape ${showShape(s)} has time dim ${show(t)}`, {
        expected: 'a time symbol (e.g. "time") or a positive number of steps',
      });
    }
    // A numeric 1 or 2 without a lengths feed is a state input (stateInput); sequences carry `lengths`.
    const state = (t === 1 || t === 2) && !lengthsOnly;
    return [{ shape: s, kind: state ? "state" : "sequence", lengths: state ? undefined : node.lengths }];
  },
  dense: (node, ins, ctx) => {
    const x = need(node, ins, 0, ["sequence", "vector"], ctx);
    return x && [withFeatures(x, node.units)];
  },
  activation: sameKind,
  dropout: sameKind,
  frameStack: (node, ins, ctx) => {
    const x = need(node, ins, 0, ["sequence"], ctx);
    return x && [withFeatures(x, (node.left + node.right + 1) * features(x))];
  },
  conv1d: (node, ins, ctx) => {
    const x = need(node, ins, 0, ["sequence"], ctx);
    return x && resampled(node, x, node.filters, ctx);
  },
  pad: (node, ins, ctx) => {
    const x = need(node, ins, 0, ["sequence"], ctx);
    return x && resampled(node, x, features(x), ctx);
  },
  magnitude: (node, ins, ctx) => {
    const x = need(node, ins, 0, ["sequence", "vector"], ctx);
    if (x === undefined) return undefined;
    const d = features(x);
    if (d % 2 !== 0) {
      ctx.report("FEATURE_MISMATCH", `input ${show(node.inputs[0])} has ${d} features, an odd number`, {
        expected: "an even feature dim: real parts, then as many imaginary parts",
        found: showShape(x.shape),
        hint: "magnitude pairs feature k with feature k + D/2",
      });
      return undefined;
    }
    return [withFeatures(x, d / 2)];
  },
  rnn: (node, ins, ctx) => {
    const x = need(node, ins, 0, ["sequence"], ctx);
    const state: Shape = [directionsOf(node), BATCH, node.units];
    for (const i of [1, 2]) {
      const s = need(node, ins, i, ["state"], ctx);
      if (s === undefined || sameDims(s.shape, state)) continue;
      const code = s.shape[0] === state[0] ? "FEATURE_MISMATCH" : "SHAPE_MISMATCH";
      ctx.report(code, `initial state ${show(node.inputs[i])} is ${showShape(s.shape)}, expected ${showShape(state)}`, {
        expected: showShape(state),
        found: showShape(s.shape),
        hint: "a state is [directions, batch, units] of this layer: 2 directions when bidirectional",
      });
    }
    if (x === undefined) return undefined;
    const h = rnnOutputUnits(node);
    const main: ValueInfo = node.returnSequences
      ? { shape: [x.shape[0] as string | number, BATCH, h], kind: "sequence", lengths: x.lengths }
      : { shape: [BATCH, h], kind: "vector", lengths: undefined };
    return [main, ...stateOutputs(node).map((): ValueInfo => ({ shape: state, kind: "state", lengths: undefined }))];
  },
  lastStep: (node, ins, ctx) => {
    const x = need(node, ins, 0, ["sequence"], ctx);
    return x && [{ shape: [BATCH, features(x)], kind: "vector", lengths: undefined }];
  },
  pool: (node, ins, ctx) => {
    const x = need(node, ins, 0, ["sequence"], ctx);
    return x && [{ shape: [BATCH, features(x)], kind: "vector", lengths: undefined }];
  },
  repeat: (node, ins, ctx) => {
    const v = need(node, ins, 0, ["vector"], ctx);
    const like = node.inputs.length > 1 ? need(node, ins, 1, ["sequence"], ctx) : undefined;
    if (v === undefined || (node.inputs.length > 1 && like === undefined)) return undefined;
    const d = features(v);
    return like === undefined
      ? [{ shape: [node.steps as number, BATCH, d], kind: "sequence", lengths: undefined }]
      : [{ shape: [like.shape[0] as string | number, BATCH, d], kind: "sequence", lengths: like.lengths }];
  },
  concat: (node, ins, ctx) => {
    const first = join(node, ins, ctx, false);
    return (
      first && [
        withFeatures(
          first,
          ins.reduce((sum, v) => sum + (v === undefined ? 0 : features(v)), 0),
        ),
      ]
    );
  },
  add: (node, ins, ctx) => {
    const first = join(node, ins, ctx, true);
    return first && [first];
  },
};

/**
 * The output of a conv1d or pad: features `d`, and the time axis the node makes. A node that keeps T keeps the
 * input's axis and lengths; one that changes T needs an input without a lengths feed (its output steps are a
 * function of T alone) and puts its output on a new axis: a number when T is one, else `"<id>.time"`.
 */
function resampled(node: NodeOf<"conv1d"> | NodeOf<"pad">, x: ValueInfo, d: number, ctx: RuleContext) {
  if (!changesTime(node)) return [withFeatures(x, d)];
  if (x.lengths !== undefined) {
    ctx.report(
      "TIME_MISMATCH",
      `${node.op} changes the number of steps, but its input is masked by lengths ${show(x.lengths)}`,
      {
        expected: "an input declared without a lengths feed (every sample uses all T steps)",
        found: `lengths ${show(x.lengths)}`,
        hint: "declare the input with input(id, D, { lengths: false }), e.g. audio samples cut into equal chunks",
      },
    );
    return undefined;
  }
  const t = x.shape[0] as Dim;
  if (typeof t === "number") {
    const steps = outputSteps(node, t);
    const least = minInputSteps(node);
    if (steps < 1 || t < least) {
      ctx.report("SHAPE_MISMATCH", `${node.op} needs at least ${least} input steps, its input has ${t}`, {
        expected: `at least ${least} steps`,
        found: String(t),
      });
      return undefined;
    }
    return [{ shape: [steps, BATCH, d], kind: "sequence" as const, lengths: undefined }];
  }
  return [{ shape: [derivedTime(node), BATCH, d], kind: "sequence" as const, lengths: undefined }];
}

function sameDims(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Checks that the inputs of concat/add can be joined frame by frame; returns the first one. */
function join(node: LayerNode, ins: readonly (ValueInfo | undefined)[], ctx: RuleContext, sameFeatures: boolean) {
  const [first, ...rest] = ins;
  if (first === undefined) return undefined;
  const firstName = show(node.inputs[0]);
  let ok = true;
  rest.forEach((value, k) => {
    if (value === undefined) return;
    const name = show(node.inputs[k + 1]);
    const found = showShape(value.shape);
    const expected = showShape(first.shape);
    if (value.kind !== first.kind) {
      ok = false;
      ctx.report("RANK", `input ${name} is a ${value.kind} ${found}, but ${firstName} is a ${first.kind} ${expected}`, {
        expected: `a ${first.kind}`,
        found: `a ${value.kind}`,
        hint: "join values of one kind; lastStep/pool turn sequences into vectors, repeat does the reverse",
      });
      return;
    }
    if (first.kind === "sequence" && (value.shape[0] !== first.shape[0] || value.lengths !== first.lengths)) {
      ok = false;
      const axis = (v: ValueInfo) => `time ${show(v.shape[0])} (lengths ${show(v.lengths)})`;
      ctx.report("TIME_MISMATCH", `input ${name} runs on ${axis(value)}, but ${firstName} on ${axis(first)}`, {
        expected: axis(first),
        found: axis(value),
        hint: "only sequences on one time axis can be joined frame by frame; use lastStep/pool or repeat",
      });
    } else if (first.kind === "state" && value.shape[0] !== first.shape[0]) {
      ok = false;
      ctx.report("SHAPE_MISMATCH", `input ${name} is ${found}, but ${firstName} is ${expected}`, { expected, found });
    } else if (sameFeatures && features(value) !== features(first)) {
      ok = false;
      ctx.report("FEATURE_MISMATCH", `input ${name} is ${found}, but ${firstName} is ${expected}`, {
        expected,
        found,
        hint: "add needs equal shapes; use concat to join different widths",
      });
    }
  });
  return ok ? first : undefined;
}

/** Result of {@link inferShapes}. */
export interface ShapeInference {
  /** Shape of every value that could be inferred (node outputs and rnn states). */
  readonly shapes: Map<string, Shape>;
  /** Sequence values → the lengths feed that masks them (undefined: no lengths feed, every step valid). */
  readonly lengthsOf: Map<string, string | undefined>;
  /** Everything that prevented inference, node by node. Empty when the whole graph was inferred. */
  readonly issues: Issue[];
  /** The nodes in topological order (producers first); a valid order only when `issues` is empty. */
  readonly order: readonly LayerNode[];
}

/**
 * Infers the shape of every value of a graph whose nodes may be listed in any order. Node structure, options,
 * ids, inputs and cycles are checked on the way (a node with an issue is skipped, and so are the nodes that
 * depend on it, without further issues). A rank-3 input whose time dim is 1 or 2 and that has no `lengths` is a
 * state input (`stateInput`); every other rank-3 input is a sequence. Never throws for a graph with a `nodes`
 * array; `validate` also checks the graph's own fields, outputs and weights.
 */
export function inferShapes(graph: Graph): ShapeInference {
  const prepared = prepareNodes(Array.isArray(graph.nodes) ? graph.nodes : []);
  const issues = [...prepared.issues];
  const values = new Map<string, ValueInfo>();
  for (const node of prepared.order) {
    if (prepared.broken.has(node.id)) continue;
    const ins = node.inputs.map((name) => (name === "" ? undefined : values.get(name)));
    if (node.inputs.some((name, i) => name !== "" && ins[i] === undefined)) continue;
    const before = issues.length;
    const ctx: RuleContext = {
      report: (code, message, details = {}) => issues.push({ code, nodeId: node.id, op: node.op, message, ...details }),
    };
    const outputs = (inferRules[node.op] as Rule<Op>)(node as never, ins, ctx);
    if (outputs === undefined || issues.length > before) continue;
    outputsOf(node).forEach((name, i) => {
      const value = outputs[i];
      if (value !== undefined) values.set(name, value);
    });
  }
  issues.push(...checkInputAxes(prepared.order, values, prepared.defined));
  const shapes = new Map<string, Shape>();
  const lengthsOf = new Map<string, string | undefined>();
  for (const [name, value] of values) {
    shapes.set(name, value.shape);
    if (value.kind === "sequence") lengthsOf.set(name, value.lengths);
  }
  return { shapes, lengthsOf, issues, order: prepared.order };
}
