/**
 * Graph JSON: the versioned, stable text form of a graph that saved models carry. Parsing checks only the
 * structure; `assertValid` does the full validation.
 */
import { IrError, type Issue } from "./errors.js";
import { isRecord, show } from "./excerpt.js";
import { GRAPH_FORMAT, type Graph, isOp, type LayerNode } from "./nodes.js";
import { allowedOptions, BASE_KEYS } from "./options.js";

/**
 * The graph as JSON: `format`, `name`, `nodes`, `outputs` only (a `ValidModel`'s `info` is left out). Keys come
 * in a fixed order (`op`, `id`, `inputs`, then the op's options in table order, then any others sorted), so one
 * graph always gives the same text. Undefined options are omitted.
 */
export function graphToJSON(graph: Graph): string {
  const plain = {
    format: graph.format,
    name: graph.name,
    nodes: graph.nodes.map(orderedNode),
    outputs: [...graph.outputs],
  };
  return JSON.stringify(plain, null, 2);
}

function orderedNode(node: LayerNode): Record<string, unknown> {
  const record = node as unknown as Readonly<Record<string, unknown>>;
  const known = isOp(node.op) ? [...BASE_KEYS, ...allowedOptions[node.op]] : BASE_KEYS;
  const others = Object.keys(record)
    .filter((key) => !known.includes(key))
    .sort();
  const out: Record<string, unknown> = {};
  for (const key of [...known, ...others]) {
    if (Object.hasOwn(record, key) && record[key] !== undefined) out[key] = record[key];
  }
  return out;
}

/**
 * Parses graph JSON. Checks the structure only: an object with `format` equal to `GRAPH_FORMAT`, a string
 * `name`, a `nodes` list of objects and an `outputs` list of strings; unknown top-level fields are dropped.
 * @throws IrError with a BAD_GRAPH issue (not JSON, not an object, wrong field types) or BAD_FORMAT.
 */
export function parseGraph(json: string): Graph {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    fail({
      code: "BAD_GRAPH",
      message: `the graph is not valid JSON: ${error instanceof Error ? error.message : show(error)}`,
    });
  }
  if (!isRecord(value)) {
    fail({ code: "BAD_GRAPH", message: `the graph JSON is ${show(value)}, expected an object` });
  }
  const issues: Issue[] = [];
  if (value.format !== GRAPH_FORMAT) {
    issues.push({
      code: "BAD_FORMAT",
      message: `format is ${show(value.format)}, expected ${show(GRAPH_FORMAT)}`,
      expected: GRAPH_FORMAT,
      found: show(value.format),
      hint: "the file was written by another version of recurrent, or is not a recurrent graph",
    });
  }
  if (typeof value.name !== "string") {
    issues.push({ code: "BAD_GRAPH", message: `name is ${show(value.name)}, expected a string` });
  }
  if (!Array.isArray(value.nodes) || !value.nodes.every(isRecord)) {
    issues.push({ code: "BAD_GRAPH", message: `nodes is ${show(value.nodes)}, expected a list of node objects` });
  }
  if (!Array.isArray(value.outputs) || !value.outputs.every((o) => typeof o === "string")) {
    issues.push({ code: "BAD_GRAPH", message: `outputs is ${show(value.outputs)}, expected a list of value names` });
  }
  if (issues.length > 0) {
    throw new IrError(issues, typeof value.name === "string" ? { graphName: value.name } : {});
  }
  return {
    format: GRAPH_FORMAT,
    name: value.name as string,
    nodes: value.nodes as LayerNode[],
    outputs: value.outputs as string[],
  };
}

function fail(issue: Issue): never {
  throw new IrError([issue]);
}
