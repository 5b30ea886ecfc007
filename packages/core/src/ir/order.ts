/**
 * The node-level half of validation: each node's structure (object, id, op, inputs), its options, unique value
 * names, defined inputs, and a topological order (nodes may be listed in any order; cycles are reported).
 */
import type { Issue } from "./errors.js";
import { isRecord, show, showList } from "./excerpt.js";
import { isOp, type LayerNode, OPS, outputsOf } from "./nodes.js";
import { checkOptions, closest, type NodeShell } from "./options.js";

/** What {@link prepareNodes} learnt about a graph's nodes. */
export interface PreparedNodes {
  /** Nodes whose `op`, `id` and `inputs` are well formed, producers before consumers (cycles broken anywhere). */
  readonly order: readonly LayerNode[];
  /** Ids of nodes in `order` that must not be inferred: they already have an issue of their own. */
  readonly broken: ReadonlySet<string>;
  /** Every value name some node produces (also those of broken nodes, so they cause no follow-up issues). */
  readonly defined: readonly string[];
  readonly issues: readonly Issue[];
}

/** Checks every node and orders them; never throws on malformed nodes. */
export function prepareNodes(nodes: readonly unknown[]): PreparedNodes {
  const issues: Issue[] = [];
  const producer = new Map<string, number>(); // value name -> index into shells, or -1 for an unusable node
  const shells: NodeShell[] = [];
  const broken = new Set<string>();

  nodes.forEach((raw, index) => {
    const shell = readShell(raw, index, issues);
    if (shell === undefined) return;
    const values = "inputs" in shell ? outputsOf(shell as unknown as LayerNode) : [shell.id];
    const taken = values.find((value) => producer.has(value));
    if (taken !== undefined) {
      issues.push({
        code: "DUPLICATE_ID",
        nodeId: shell.id,
        op: shell.op,
        message: `value ${show(taken)} is already produced by an earlier node`,
        hint: "give every node a unique id (an rnn also produces <id>/h and, for lstm, <id>/c)",
      });
      return;
    }
    const usable = "inputs" in shell;
    for (const value of values) producer.set(value, usable ? shells.length : -1);
    if (!usable) return;
    const optionIssues = checkOptions(shell as NodeShell);
    issues.push(...optionIssues);
    if (optionIssues.length > 0) broken.add(shell.id);
    shells.push(shell as NodeShell);
  });

  const defined = [...producer.keys()];
  const deps = shells.map((node) => {
    const found: number[] = [];
    for (const name of node.inputs) {
      if (name === "") continue;
      const at = producer.get(name);
      if (at === undefined) {
        broken.add(node.id);
        const close = closest(name, defined);
        issues.push({
          code: "UNKNOWN_INPUT",
          nodeId: node.id,
          op: node.op,
          message: `input ${show(name)} is not defined; defined values: ${showList(defined)}`,
          found: name,
          ...(close === undefined ? {} : { hint: `did you mean ${show(close)}?` }),
        });
      } else if (at >= 0 && !found.includes(at)) {
        found.push(at);
      }
    }
    return found;
  });

  const order = topologicalOrder(shells, deps, broken, issues);
  return { order: order as unknown as LayerNode[], broken, defined, issues };
}

/** A node's `op`, `id` and `inputs`, or undefined (with an issue) when it has no usable id. */
function readShell(
  raw: unknown,
  index: number,
  issues: Issue[],
): NodeShell | { readonly id: string; readonly op: string } | undefined {
  if (!isRecord(raw)) {
    issues.push({
      code: "BAD_GRAPH",
      message: `node ${index} is ${show(raw)}, expected an object { op, id, inputs, ...options }`,
    });
    return undefined;
  }
  const op = typeof raw.op === "string" ? raw.op : show(raw.op);
  if (typeof raw.id !== "string" || raw.id === "") {
    issues.push({
      code: "BAD_GRAPH",
      op,
      message: `node ${index} has id ${show(raw.id)}, expected a non-empty string`,
    });
    return undefined;
  }
  const id = raw.id;
  if (id === "__proto__") {
    issues.push({
      code: "BAD_GRAPH",
      nodeId: id,
      op,
      message: `node ${index} has the reserved id "__proto__"`,
      hint: "results and feeds are plain objects keyed by value name, where __proto__ is never an own key; rename it",
    });
    return undefined;
  }
  if (!isOp(raw.op)) {
    const close = typeof raw.op === "string" ? closest(raw.op, OPS) : undefined;
    issues.push({
      code: "UNKNOWN_OP",
      nodeId: id,
      op,
      message: `op ${show(raw.op)} is not one of ${OPS.join(", ")}`,
      found: show(raw.op),
      ...(close === undefined ? {} : { hint: `did you mean ${show(close)}?` }),
    });
    return { id, op };
  }
  if (!Array.isArray(raw.inputs) || !raw.inputs.every((name) => typeof name === "string")) {
    issues.push({
      code: "BAD_GRAPH",
      nodeId: id,
      op,
      message: `inputs is ${show(raw.inputs)}, expected a list of value names`,
      hint: 'use [] for an input node and "" for a skipped optional input',
    });
    return { id, op };
  }
  return raw as NodeShell;
}

/**
 * Depth-first post-order in the given node order, so an already ordered graph keeps its order. Iterative, so a
 * long chain cannot overflow the stack. Each distinct cycle is reported once and its nodes marked broken.
 */
function topologicalOrder(
  shells: readonly NodeShell[],
  deps: readonly (readonly number[])[],
  broken: Set<string>,
  issues: Issue[],
): NodeShell[] {
  const state = new Uint8Array(shells.length); // 0 new, 1 on the stack, 2 done
  const order: NodeShell[] = [];
  const seenCycles = new Set<string>();
  for (let start = 0; start < shells.length; start++) {
    if (state[start] !== 0) continue;
    const stack: { node: number; next: number }[] = [{ node: start, next: 0 }];
    state[start] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { node: number; next: number };
      const edges = deps[top.node] ?? [];
      if (top.next < edges.length) {
        const dep = edges[top.next++] as number;
        if (state[dep] === 0) {
          state[dep] = 1;
          stack.push({ node: dep, next: 0 });
        } else if (state[dep] === 1) {
          const path = stack.slice(stack.findIndex((frame) => frame.node === dep)).map((frame) => frame.node);
          reportCycle(path, shells, broken, issues, seenCycles);
        }
      } else {
        state[top.node] = 2;
        order.push(shells[top.node] as NodeShell);
        stack.pop();
      }
    }
  }
  return order;
}

function reportCycle(
  path: readonly number[],
  shells: readonly NodeShell[],
  broken: Set<string>,
  issues: Issue[],
  seen: Set<string>,
): void {
  const ids = path.map((i) => (shells[i] as NodeShell).id);
  const key = JSON.stringify([...ids].sort());
  if (seen.has(key)) return;
  seen.add(key);
  for (const id of ids) broken.add(id);
  // path[k] reads path[k + 1] and the last reads the first, so values flow first -> last -> ... -> second -> first.
  const flow = [ids[0] as string, ...ids.slice(1).reverse(), ids[0] as string];
  const first = shells[Math.min(...path)] as NodeShell;
  issues.push({
    code: "CYCLE",
    nodeId: first.id,
    op: first.op,
    message: `nodes ${showList(ids.map((id) => show(id)))} read each other in a loop: ${flow.map((id) => show(id)).join(" → ")}`,
    hint: "a node may only read values computed before it; feed a recurrent state back through an rnn's h0/c0 input from a previous run instead",
  });
}
