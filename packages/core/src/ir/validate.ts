/**
 * Validation: `validate()` returns every issue of a graph (and of its weights, when given) without throwing;
 * `assertValid()` throws them as one `IrError` or returns the graph as a `ValidModel`, the only thing backends
 * accept.
 */
import type { Weights } from "../weights/weights.js";
import { CELL_SPECS } from "./cells.js";
import { IrError, type Issue } from "./errors.js";
import { graphExcerpt, isRecord, show, showList } from "./excerpt.js";
import { inferShapes, type ShapeInference } from "./infer.js";
import { CELLS, type Cell, GRAPH_FORMAT, type Graph, type LayerNode, type Shape } from "./nodes.js";
import { closest, LIMITS } from "./options.js";
import type { ParamSpec } from "./params.js";
import type { ValidModel } from "./valid-model.js";
import { checkWeights, paramsByNode } from "./weight-checks.js";

interface Analysis {
  readonly issues: Issue[];
  readonly name?: string;
  readonly nodes?: unknown;
  readonly inference?: ShapeInference;
  readonly params?: ReadonlyMap<string, readonly ParamSpec[]>;
}

/**
 * Every issue of `graph` (any value: a graph built in code or parsed from JSON) and, when given, of `weights`
 * against the graph's parameters. An empty array means `assertValid` will succeed. Never throws.
 */
export function validate(graph: unknown, weights?: Weights): Issue[] {
  return analyze(graph, weights).issues;
}

/**
 * Graph-level issues first, then node issues in node order, then weight issues in node order, so that a
 * message reads top to bottom like the graph.
 */
function sortIssues(issues: Issue[], nodes: readonly unknown[]): Issue[] {
  const position = new Map<string, number>();
  nodes.forEach((node, i) => {
    if (isRecord(node) && typeof node.id === "string" && !position.has(node.id)) position.set(node.id, i);
  });
  const rank = (issue: Issue) => {
    const weight = issue.code.startsWith("WEIGHT_") ? nodes.length + 1 : 0;
    const at = issue.nodeId === undefined ? (weight > 0 ? nodes.length : -1) : (position.get(issue.nodeId) ?? -1);
    return weight + at;
  };
  return issues
    .map((issue, i) => ({ issue, i, rank: rank(issue) }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((entry) => entry.issue);
}

/**
 * Checks `graph` (and `weights`, when given) and returns it as a `ValidModel`: nodes in topological order, plus
 * `info` with the shape of every value, the lengths feed of every sequence and the parameters of every node.
 * @throws IrError listing every issue, followed by an excerpt of the graph around the first failing node.
 */
export function assertValid(graph: unknown, weights?: Weights): ValidModel {
  const analysis = analyze(graph, weights);
  const { issues, inference, params } = analysis;
  if (issues.length > 0 || inference === undefined || params === undefined) {
    const failing = issues.find((issue) => issue.nodeId !== undefined)?.nodeId;
    const excerpt = graphExcerpt(analysis.nodes, inference?.shapes ?? new Map<string, Shape>(), failing);
    throw new IrError(issues, { ...(analysis.name === undefined ? {} : { graphName: analysis.name }), excerpt });
  }
  const g = graph as Graph;
  const model = {
    format: GRAPH_FORMAT,
    name: g.name,
    nodes: Object.freeze(inference.order.map(freezeNode)),
    outputs: Object.freeze([...g.outputs]),
    info: { shapes: inference.shapes, lengthsOf: inference.lengthsOf, params },
  };
  return model as unknown as ValidModel;
}

/** A shallow frozen copy, so that editing the caller's graph later cannot change a validated model. */
function freezeNode(node: LayerNode): LayerNode {
  const copy: Record<string, unknown> = { ...node, inputs: Object.freeze([...node.inputs]) };
  if (node.op === "input") copy.shape = Object.freeze([...node.shape]);
  return Object.freeze(copy) as unknown as LayerNode;
}

function analyze(graph: unknown, weights: unknown): Analysis {
  try {
    return analyzeUnsafe(graph, weights);
  } catch (error) {
    // Only reachable with hostile objects (throwing getters, proxies); report rather than leak the exception.
    const reason = error instanceof Error ? error.message : show(error);
    return { issues: [{ code: "BAD_GRAPH", message: `the graph could not be read: ${reason}` }] };
  }
}

function analyzeUnsafe(graph: unknown, weights: unknown): Analysis {
  if (!isRecord(graph)) {
    const message = `the graph is ${show(graph)}, expected an object { format, name, nodes, outputs }`;
    return { issues: [{ code: "BAD_GRAPH", message, hint: "build graphs with graph() or sequential()" }] };
  }
  const issues: Issue[] = [];
  const { format, name, nodes, outputs } = graph;
  if (format !== GRAPH_FORMAT) {
    issues.push({
      code: "BAD_FORMAT",
      message: `format is ${show(format)}, expected ${show(GRAPH_FORMAT)}`,
      expected: GRAPH_FORMAT,
      found: show(format),
      hint:
        format === undefined
          ? "graphs made with graph() or sequential() carry it; add it to hand-written JSON"
          : "the graph was written by another version of recurrent",
    });
  }
  if (typeof name !== "string") {
    issues.push({ code: "BAD_GRAPH", message: `name is ${show(name)}, expected a string` });
  }
  const named = typeof name === "string" ? { name } : {};
  checkOutputList(outputs, issues);
  if (!Array.isArray(nodes)) {
    issues.push({ code: "BAD_GRAPH", message: `nodes is ${show(nodes)}, expected a list of nodes` });
    return { ...named, issues };
  }
  const inference = inferShapes({ nodes } as unknown as Graph);
  appendAll(issues, inference.issues);
  if (Array.isArray(outputs)) checkOutputsDefined(outputs, nodes, issues);
  const params = paramsByNode(inference.order, inference.shapes);
  checkParamSizes(params, nodes, issues);
  if (weights !== undefined) {
    const uninferred = new Set<string>();
    for (const node of nodes) {
      if (isRecord(node) && typeof node.id === "string" && !inference.shapes.has(node.id)) uninferred.add(node.id);
    }
    appendAll(issues, checkWeights(weights, inference.order, params, uninferred));
  }
  return { ...named, issues: sortIssues(issues, nodes), nodes, inference, params };
}

/** Refuses parameters over `LIMITS.maxParamElements` before any backend tries to allocate them. */
function checkParamSizes(
  params: ReadonlyMap<string, readonly ParamSpec[]>,
  nodes: readonly unknown[],
  issues: Issue[],
) {
  for (const [nodeId, specs] of params) {
    for (const spec of specs) {
      const elements = spec.shape.reduce((a, b) => a * b, 1);
      if (elements <= LIMITS.maxParamElements) continue;
      const node = nodes.find((n) => isRecord(n) && n.id === nodeId) as Record<string, unknown> | undefined;
      issues.push({
        code: "TOO_LARGE",
        nodeId,
        ...(typeof node?.op === "string" ? { op: node.op } : {}),
        message: `parameter ${show(spec.name)} would be [${spec.shape.join(", ")}] = ${elements} elements, over the limit of ${LIMITS.maxParamElements}`,
        expected: `at most ${LIMITS.maxParamElements} elements (LIMITS.maxParamElements)`,
        found: String(elements),
        hint: "check the layer's units and its input width",
      });
    }
  }
}

/** `push(...items)` passes every item as an argument and overflows the stack for ~10^5 issues; a loop does not. */
function appendAll(issues: Issue[], items: readonly Issue[]): void {
  for (const item of items) issues.push(item);
}

function checkOutputList(outputs: unknown, issues: Issue[]): void {
  if (!Array.isArray(outputs) || !outputs.every((o) => typeof o === "string")) {
    issues.push({
      code: "BAD_GRAPH",
      message: `outputs is ${show(outputs)}, expected a list of value names`,
      hint: 'e.g. outputs: ["out"]',
    });
  } else if (outputs.length === 0) {
    issues.push({
      code: "NO_OUTPUTS",
      message: "the graph has no outputs",
      hint: "list the values to return in outputs, e.g. the last node's id",
    });
  }
}

function checkOutputsDefined(outputs: readonly unknown[], nodes: readonly unknown[], issues: Issue[]): void {
  const defined: string[] = [];
  for (const node of nodes) {
    if (!isRecord(node) || typeof node.id !== "string") continue;
    defined.push(node.id);
    if (node.op === "rnn") {
      const states = CELLS.includes(node.cell as never) ? CELL_SPECS[node.cell as Cell].states : ["h"];
      defined.push(...states.map((s) => `${node.id}/${s}`));
    }
  }
  const known = new Set(defined);
  for (const output of outputs) {
    if (typeof output !== "string" || known.has(output)) continue;
    const close = closest(output, defined);
    issues.push({
      code: "UNKNOWN_OUTPUT",
      message: `output ${show(output)} is not a value of the graph; values: ${showList(defined)}`,
      found: output,
      ...(close === undefined ? {} : { hint: `did you mean ${show(close)}?` }),
    });
  }
}
