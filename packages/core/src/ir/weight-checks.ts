/**
 * Weights against a graph's parameter specs: every parameter present with its exact shape, nothing extra, every
 * value finite.
 */
import type { Tensor } from "../tensor/tensor.js";
import { weightKey } from "../weights/weights.js";
import type { Issue } from "./errors.js";
import { isRecord, show, showList, showShape } from "./excerpt.js";
import { gatesOf, type LayerNode, type Shape } from "./nodes.js";
import { closest } from "./options.js";
import { type ParamSpec, paramsOf } from "./params.js";

/** The parameters of every inferred node that has any, by node id. */
export function paramsByNode(order: readonly LayerNode[], shapes: ReadonlyMap<string, Shape>) {
  const params = new Map<string, readonly ParamSpec[]>();
  for (const node of order) {
    if (!shapes.has(node.id)) continue;
    const specs = paramsOf(
      node,
      node.inputs.map((name) => shapes.get(name) ?? []),
    );
    if (specs.length > 0) params.set(node.id, specs);
  }
  return params;
}

/**
 * Checks `weights` against `params`. Keys of nodes that exist but could not be inferred (`uninferred`) are left
 * alone: their expected parameters are unknown.
 */
export function checkWeights(
  weights: unknown,
  order: readonly LayerNode[],
  params: ReadonlyMap<string, readonly ParamSpec[]>,
  uninferred: ReadonlySet<string>,
): Issue[] {
  if (!isRecord(weights)) {
    return [
      { code: "BAD_GRAPH", message: `weights are ${show(weights)}, expected an object of tensors keyed nodeId/param` },
    ];
  }
  const issues: Issue[] = [];
  const expected = new Set<string>();
  for (const node of order) {
    for (const spec of params.get(node.id) ?? []) {
      const key = weightKey(node.id, spec.name);
      expected.add(key);
      const at = { nodeId: node.id, op: node.op };
      const want = showShape(spec.shape);
      if (!Object.hasOwn(weights, key) || weights[key] === undefined) {
        issues.push({
          ...at,
          code: "WEIGHT_MISSING",
          message: `weight ${show(spec.name)} (key ${show(key)}) is missing; expected ${want}`,
          expected: want,
          hint: "initWeights(model) creates every parameter; a loaded file may belong to another graph",
        });
        continue;
      }
      const tensor = weights[key];
      const formula = formulaOf(node, spec.name);
      const shapeIssue = checkShape(tensor, spec, formula);
      if (shapeIssue !== undefined) {
        issues.push({ ...at, code: "WEIGHT_SHAPE", expected: want, ...shapeIssue });
        continue;
      }
      const data = (tensor as Tensor).data;
      const bad = data.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) {
        issues.push({
          ...at,
          code: "WEIGHT_NOT_FINITE",
          message: `weight ${show(spec.name)} holds ${data[bad]} at index ${bad} (of ${data.length})`,
          found: String(data[bad]),
          hint: "training diverged or the file is corrupt; lower the learning rate or clip gradients",
        });
      }
    }
  }
  const ids = new Map(order.map((node) => [node.id, node]));
  for (const key of Object.keys(weights)) {
    if (expected.has(key) || weights[key] === undefined) continue;
    const slash = key.lastIndexOf("/");
    const nodeId = slash < 0 ? undefined : key.slice(0, slash);
    if (nodeId !== undefined && uninferred.has(nodeId)) continue;
    const node = nodeId === undefined ? undefined : ids.get(nodeId);
    if (node === undefined) {
      const withParams = [...params.keys()];
      const close = nodeId === undefined ? undefined : closest(nodeId, withParams);
      issues.push({
        code: "WEIGHT_UNEXPECTED",
        message: `weight ${show(key)} names no node of the graph`,
        found: key,
        hint: `keys are nodeId/param${close === undefined ? "" : `; did you mean node ${show(close)}?`}; nodes with parameters: ${showList(withParams)}`,
      });
      continue;
    }
    const own = (params.get(node.id) ?? []).map((spec) => weightKey(node.id, spec.name));
    issues.push({
      nodeId: node.id,
      op: node.op,
      code: "WEIGHT_UNEXPECTED",
      message: `weight ${show(key)} is not a parameter of this node`,
      found: key,
      hint: own.length === 0 ? "this node has no parameters" : `expected keys: ${showList(own)}`,
    });
  }
  return issues;
}

function checkShape(
  tensor: unknown,
  spec: ParamSpec,
  formula: string,
): Pick<Issue, "message" | "found" | "hint"> | undefined {
  const want = showShape(spec.shape);
  const isTensor =
    isRecord(tensor) &&
    Array.isArray(tensor.shape) &&
    tensor.shape.every((d) => Number.isInteger(d) && d >= 0) &&
    tensor.data instanceof Float32Array;
  if (!isTensor) {
    return {
      message: `weight ${show(spec.name)} is ${show(tensor)}, expected a tensor { shape: ${want}, data: Float32Array }`,
      found: show(tensor),
    };
  }
  const t = tensor as unknown as Tensor;
  if (t.shape.length !== spec.shape.length || t.shape.some((d, i) => d !== spec.shape[i])) {
    const rule = formula === "" ? "" : ` = ${formula}`;
    return {
      message: `weight ${show(spec.name)} is ${showShape(t.shape)}, expected ${want}${rule}`,
      found: showShape(t.shape),
      hint: "PyTorch layouts: weight_ih [gates·units, inFeatures], dense weight [units, inFeatures]",
    };
  }
  const size = spec.shape.reduce((n, d) => n * d, 1);
  if (t.data.length !== size) {
    return {
      message: `weight ${show(spec.name)} has ${t.data.length} values, but its shape ${want} needs ${size}`,
      found: `${t.data.length} values`,
    };
  }
  return undefined;
}

/** The shape formula of a parameter, e.g. `[4·units, inFeatures]`, for messages. */
function formulaOf(node: LayerNode, param: string): string {
  switch (node.op) {
    case "rnn": {
      const gates = gatesOf(node.cell);
      const rows = gates === 1 ? "units" : `${gates}·units`;
      if (param.startsWith("weight_ih")) return `[${rows}, inFeatures]`;
      if (param.startsWith("weight_hh")) return `[${rows}, units]`;
      return `[${rows}]`;
    }
    case "dense":
      return param === "weight" ? "[units, inFeatures]" : "[units]";
    case "conv1d":
      return param === "weight" ? "[filters, inFeatures, kernelSize]" : "[filters]";
    default:
      return "";
  }
}
