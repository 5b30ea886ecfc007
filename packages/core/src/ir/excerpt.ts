/**
 * Message helpers: a safe rendering of any value, and the JAX-style excerpt of a graph that ends an `IrError`:
 *
 * ```
 *     2 | lstm_1 = rnn(frames) cell=lstm units=128 → [time, batch, 128]
 *   > 3 | out    = dense(lstm_2) units=40
 * ```
 *
 * Everything here accepts garbage (graphs straight from JSON) and never throws.
 */
import type { Shape } from "./nodes.js";

const MAX_TEXT = 60;

/** A short, safe rendering of any value for a message: strings quoted, arrays bracketed, objects abbreviated. */
export function show(value: unknown, depth = 0): string {
  if (typeof value === "string") return JSON.stringify(clip(value));
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) {
    return String(value);
  }
  if (typeof value === "bigint") return `${value}n`;
  if (Array.isArray(value)) {
    if (depth > 1) return "[…]";
    const items = value.slice(0, 8).map((item) => show(item, depth + 1));
    return `[${items.join(", ")}${value.length > 8 ? ", …" : ""}]`;
  }
  if (typeof value === "object") return ArrayBuffer.isView(value) ? value.constructor.name : "an object";
  return `a ${typeof value}`;
}

/** A shape as `[time, batch, 39]` (symbols unquoted), or a safe rendering when it is not a list of dims. */
export function showShape(shape: unknown): string {
  if (!Array.isArray(shape)) return show(shape);
  return `[${shape.map((d) => (typeof d === "string" ? clip(d) : show(d, 2))).join(", ")}]`;
}

/** A list of names for a message: `a, b, c` (at most `max`, then `… (n more)`), or `(none)`. */
export function showList(names: readonly string[], max = 12): string {
  if (names.length === 0) return "(none)";
  const head = names.slice(0, max).map(clip).join(", ");
  return names.length > max ? `${head}, … (${names.length - max} more)` : head;
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

const RADIUS = 3;
const BASE_KEYS = new Set(["op", "id", "inputs"]);
/** Options left out of excerpt lines when they hold the builders' default, to keep lines short. */
const DEFAULTS: Readonly<Record<string, unknown>> = {
  "input.lengths": "lengths",
  "dense.activation": "linear",
  "dense.useBias": true,
  "conv1d.dilation": 1,
  "conv1d.padding": "same",
  "conv1d.activation": "linear",
  "conv1d.useBias": true,
  "rnn.direction": "forward",
  "rnn.returnSequences": true,
  "rnn.merge": "sum",
  "rnn.tiedDirections": false,
  "rnn.activation": "tanh",
  "rnn.resetAfter": true,
};

/**
 * Renders nodes `failing-3 .. failing+3` of `nodes`, one per line `index | id = op(inputs) key=value → shape`,
 * marking the failing node with `>` (options at their builder default are left out). Without a failing node it shows the last nodes. Returns `""` when `nodes`
 * is not an array or is empty.
 */
export function graphExcerpt(nodes: unknown, shapes: ReadonlyMap<string, Shape>, failingId?: string): string {
  try {
    if (!Array.isArray(nodes) || nodes.length === 0) return "";
    const failing = failingId === undefined ? -1 : nodes.findIndex((n) => isRecord(n) && n.id === failingId);
    const from = failing < 0 ? Math.max(0, nodes.length - 2 * RADIUS - 1) : Math.max(0, failing - RADIUS);
    const to = failing < 0 ? nodes.length - 1 : Math.min(nodes.length - 1, failing + RADIUS);
    const rows: { index: number; id: string; rest: string; shape: string }[] = [];
    for (let index = from; index <= to; index++) rows.push({ index, ...describe(nodes[index], shapes) });
    const indexWidth = String(to).length;
    const idWidth = Math.max(...rows.map((r) => r.id.length));
    const bodies = rows.map((r) => `${r.id.padEnd(idWidth)}${r.rest}`);
    const bodyWidth = Math.max(...bodies.map((b) => b.length));
    return rows
      .map((r, i) => {
        const mark = r.index === failing ? "  > " : "    ";
        const body = r.shape === "" ? (bodies[i] ?? "") : `${(bodies[i] ?? "").padEnd(bodyWidth)} → ${r.shape}`;
        return `${mark}${String(r.index).padStart(indexWidth)} | ${body}`.trimEnd();
      })
      .join("\n");
  } catch {
    return "";
  }
}

function describe(node: unknown, shapes: ReadonlyMap<string, Shape>): { id: string; rest: string; shape: string } {
  if (!isRecord(node)) return { id: `<not a node: ${show(node)}>`, rest: "", shape: "" };
  const id = typeof node.id === "string" ? clip(node.id) : `<id ${show(node.id)}>`;
  const op = typeof node.op === "string" ? clip(node.op) : `<op ${show(node.op)}>`;
  const inputs = Array.isArray(node.inputs)
    ? node.inputs.map((name) => (typeof name === "string" ? clip(name) : show(name))).join(", ")
    : show(node.inputs);
  const options = Object.keys(node)
    .filter((key) => !BASE_KEYS.has(key) && DEFAULTS[`${op}.${key}`] !== node[key])
    .map((key) => `${clip(key)}=${showOption(node[key])}`);
  const shape = typeof node.id === "string" ? shapes.get(node.id) : undefined;
  return {
    id,
    rest: ` = ${op}(${inputs})${options.length > 0 ? ` ${options.join(" ")}` : ""}`,
    shape: shape === undefined ? "" : showShape(shape),
  };
}

function showOption(value: unknown): string {
  if (typeof value === "string") return /^[\w.-]+$/.test(value) ? clip(value) : show(value);
  return Array.isArray(value) ? showShape(value) : show(value);
}

/** Is `value` a plain non-array object whose keys can be read? */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
