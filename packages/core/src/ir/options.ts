/**
 * Per-op options: which keys a node may have, which it must have, the values each accepts, and how many inputs
 * each op reads. The tables are mapped over `Op` and over each node type's keys, so a new op or a new option
 * does not compile until it is described here.
 */

import { CELL_SPECS } from "./cells.js";
import type { Issue, IssueCode } from "./errors.js";
import { show, showList } from "./excerpt.js";
import {
  ACTIVATIONS,
  CELLS,
  type Cell,
  CONV_PADDINGS,
  DIRECTIONS,
  MERGES,
  type NodeOf,
  type Op,
  PAD_MODES,
  POOL_MODES,
} from "./nodes.js";

/** The keys every node has; they are not options. */
export const BASE_KEYS: readonly string[] = ["op", "id", "inputs"];

type OptionKey<K extends Op> = Exclude<keyof NodeOf<K>, "op" | "id" | "inputs">;

/** How one option is checked: `check` returns what was expected when the value is wrong. */
interface OptionSpec {
  readonly required: boolean;
  readonly check: (value: unknown) => string | undefined;
}

/**
 * Documented upper bounds on options, so a typo such as `units: 1e9` is a validation issue naming the node
 * instead of a 23 GB allocation or a raw RangeError at compile time. Each is far above any practical RNN.
 */
export const LIMITS = Object.freeze({
  /** `units` of dense and rnn layers, `filters` of conv1d. */
  maxUnits: 65_536,
  /** frameStack `left` and `right`, pad `before` and `after`, conv1d's `stride` and receptive field `dilation·(kernelSize − 1) + 1`. */
  maxWindow: 1_000,
  /** repeat `steps` (10⁶ steps of 10 ms is 2.8 hours). */
  maxRepeatSteps: 1_000_000,
  /** Elements of one parameter tensor (2²⁸ float32 = 1 GiB). */
  maxParamElements: 2 ** 28,
});

/** An integer check (`min` 0 or 1) with an upper bound, whose expectation names both ends. */
const intAtMost = (min: 0 | 1, limit: number) => {
  const expected = `${min === 1 ? "a positive" : "a non-negative"} integer at most ${limit}`;
  return (value: unknown) =>
    Number.isInteger(value) && (value as number) >= min && (value as number) <= limit ? undefined : expected;
};
const units = intAtMost(1, LIMITS.maxUnits);
const window = intAtMost(0, LIMITS.maxWindow);
const repeatSteps = intAtMost(1, LIMITS.maxRepeatSteps);

const boolean = (value: unknown) => (typeof value === "boolean" ? undefined : "true or false");
const oneOf =
  (values: readonly string[]) =>
  (value: unknown): string | undefined =>
    typeof value === "string" && values.includes(value) ? undefined : `one of ${values.join(", ")}`;
const rate = (value: unknown) =>
  typeof value === "number" && value >= 0 && value < 1 ? undefined : "a number in [0, 1)";
const dims = (value: unknown) =>
  Array.isArray(value) && value.every((d) => typeof d === "number" || typeof d === "string")
    ? undefined
    : "a list of dims (numbers or symbols such as time and batch)";
const name = (value: unknown) =>
  typeof value === "string" && value !== "" && value !== "__proto__"
    ? undefined
    : 'a non-empty string other than "__proto__"';

const req = (check: OptionSpec["check"]): OptionSpec => ({ required: true, check });
const opt = (check: OptionSpec["check"]): OptionSpec => ({ required: false, check });

/** Every option of every op, with its check. */
export const optionSpecs: { readonly [K in Op]: { readonly [P in OptionKey<K>]-?: OptionSpec } } = {
  input: { shape: req(dims), lengths: opt(name) },
  dense: { units: req(units), activation: req(oneOf(ACTIVATIONS)), useBias: req(boolean) },
  activation: { activation: req(oneOf(ACTIVATIONS)) },
  dropout: { rate: req(rate) },
  frameStack: { left: req(window), right: req(window) },
  conv1d: {
    filters: req(units),
    kernelSize: req(intAtMost(1, LIMITS.maxWindow)),
    dilation: req(intAtMost(1, LIMITS.maxWindow)),
    stride: opt(intAtMost(1, LIMITS.maxWindow)),
    padding: req(oneOf(CONV_PADDINGS)),
    activation: req(oneOf(ACTIVATIONS)),
    useBias: req(boolean),
  },
  rnn: {
    cell: req(oneOf(CELLS)),
    units: req(units),
    direction: req(oneOf(DIRECTIONS)),
    returnSequences: req(boolean),
    merge: opt(oneOf(MERGES)),
    tiedDirections: opt(boolean),
    activation: opt(oneOf(["tanh", "relu"])),
    resetAfter: opt(boolean),
  },
  lastStep: {},
  pool: { mode: req(oneOf(POOL_MODES)) },
  repeat: { steps: opt(repeatSteps) },
  concat: {},
  add: {},
  pad: { before: req(window), after: req(window), mode: req(oneOf(PAD_MODES)) },
  magnitude: {},
};

/** The option keys each op allows (besides `op`, `id`, `inputs`). */
export const allowedOptions: { readonly [K in Op]: readonly string[] } = Object.fromEntries(
  Object.entries(optionSpecs).map(([op, specs]) => [op, Object.keys(specs)]),
) as unknown as { readonly [K in Op]: readonly string[] };

/** How many inputs an op reads; positions in `optional` may be `""` (skipped). */
interface Arity {
  readonly min: number;
  readonly max: number;
  readonly optional?: readonly number[];
}
const one: Arity = { min: 1, max: 1 };
const many: Arity = { min: 2, max: Number.POSITIVE_INFINITY };

const arities: { readonly [K in Op]: (node: Readonly<Record<string, unknown>>) => Arity } = {
  input: () => ({ min: 0, max: 0 }),
  dense: () => one,
  activation: () => one,
  dropout: () => one,
  frameStack: () => one,
  conv1d: () => one,
  rnn: (node) => ({
    min: 1,
    // x plus one input per state the cell carries (an unknown cell is reported elsewhere; allow every slot).
    max: 1 + (CELLS.includes(node.cell as never) ? CELL_SPECS[node.cell as Cell].states.length : 2),
    optional: [1, 2],
  }),
  lastStep: () => one,
  pool: () => one,
  repeat: () => ({ min: 1, max: 2 }),
  concat: () => many,
  add: () => many,
  pad: () => one,
  magnitude: () => one,
};

/** A node whose `op`, `id` and `inputs` are known good; the rest is unchecked. */
export interface NodeShell extends Readonly<Record<string, unknown>> {
  readonly op: Op;
  readonly id: string;
  readonly inputs: readonly string[];
}

/** Checks a node's option keys, their values, cross-option rules and its input count. Returns every issue. */
export function checkOptions(node: NodeShell): Issue[] {
  const issues: Issue[] = [];
  const report = (code: IssueCode, message: string, extra: Omit<Issue, "code" | "message"> = {}) =>
    issues.push({ code, nodeId: node.id, op: node.op, message, ...extra });
  const specs: Readonly<Record<string, OptionSpec>> = optionSpecs[node.op];
  const allowed = allowedOptions[node.op];
  for (const key of Object.keys(node)) {
    if (BASE_KEYS.includes(key) || Object.hasOwn(specs, key) || node[key] === undefined) continue;
    const close = closest(key, [...allowed, ...BASE_KEYS]);
    report("UNKNOWN_OPTION", `${node.op} has no option ${show(key)}`, {
      found: key,
      hint: `${close === undefined ? "" : `did you mean ${show(close)}? `}options of ${node.op}: ${showList(allowed)}`,
    });
  }
  for (const [key, spec] of Object.entries(specs)) {
    const value = node[key];
    if (value === undefined) {
      if (spec.required) {
        const expected = spec.check(undefined) ?? "a value";
        report("MISSING_OPTION", `option ${show(key)} is missing; expected ${expected}`, {
          expected,
          hint: `add ${key}: ${expected}`,
        });
      }
      continue;
    }
    const expected = spec.check(value);
    if (expected !== undefined) {
      report("BAD_OPTION", `option ${show(key)} is ${show(value)}, expected ${expected}`, {
        expected,
        found: show(value),
      });
    }
  }
  crossChecks(node, report);
  checkArity(node, arities[node.op](node), report);
  return issues;
}

type Report = (code: IssueCode, message: string, extra?: Omit<Issue, "code" | "message">) => void;

function crossChecks(node: NodeShell, report: Report): void {
  if (node.op === "rnn") {
    const direction = node.direction;
    if (DIRECTIONS.includes(direction as never) && direction !== "bidirectional") {
      for (const key of ["merge", "tiedDirections"]) {
        if (node[key] === undefined) continue;
        report(
          "BAD_OPTION",
          `option ${show(key)} applies only to a bidirectional layer; direction is ${show(direction)}`,
          {
            hint: `remove ${key} or set direction: "bidirectional"`,
          },
        );
      }
    }
    const cell = node.cell;
    if (!CELLS.includes(cell as never)) return;
    if (node.activation !== undefined && cell !== "simple") {
      report("BAD_OPTION", `option "activation" applies only to a simple cell; cell is ${show(cell)}`, {
        hint: `remove activation (an ${cell} cell has fixed gate nonlinearities) or add an activation node`,
      });
    }
    if (node.resetAfter !== undefined && cell !== "gru") {
      report("BAD_OPTION", `option "resetAfter" applies only to a gru cell; cell is ${show(cell)}`, {
        hint: "remove resetAfter",
      });
    }
  } else if (node.op === "conv1d") {
    const { kernelSize, dilation } = node;
    if (Number.isInteger(kernelSize) && Number.isInteger(dilation)) {
      const field = (dilation as number) * ((kernelSize as number) - 1) + 1;
      if (field > LIMITS.maxWindow) {
        report(
          "BAD_OPTION",
          `receptive field dilation·(kernelSize − 1) + 1 = ${field} frames is over ${LIMITS.maxWindow}`,
          {
            expected: `at most ${LIMITS.maxWindow} frames`,
            found: String(field),
            hint: "use a smaller dilation or kernelSize",
          },
        );
      }
    }
  } else if (node.op === "repeat") {
    const withLike = node.inputs.length >= 2;
    if (node.steps !== undefined && withLike) {
      report("BAD_OPTION", `repeat has both steps ${show(node.steps)} and a like input ${show(node.inputs[1])}`, {
        hint: "give either a fixed steps or a sequence input whose time axis to follow, not both",
      });
    } else if (node.steps === undefined && !withLike) {
      report("MISSING_OPTION", "repeat needs either option steps or a second (sequence) input to take T from", {
        expected: "steps: a positive integer, or inputs [vector, like]",
        hint: "add steps: <positive integer> or a second input naming a sequence value",
      });
    }
  }
}

function checkArity(node: NodeShell, arity: Arity, report: Report): void {
  const n = node.inputs.length;
  if (n < arity.min || n > arity.max) {
    const range =
      arity.min === arity.max
        ? `${arity.min}`
        : arity.max === Number.POSITIVE_INFINITY
          ? `at least ${arity.min}`
          : `${arity.min} to ${arity.max}`;
    report("ARITY", `${node.op} takes ${range} input${range === "1" ? "" : "s"}, got ${n}`, {
      expected: range,
      found: String(n),
      ...(node.op === "rnn" ? { hint: "inputs are [x, h0?, c0?]; only an lstm has c0" } : {}),
    });
  }
  node.inputs.forEach((name, i) => {
    if (name === "" && !(arity.optional ?? []).includes(i)) {
      report("ARITY", `input ${i} is empty ("") but ${node.op} requires it`, {
        hint: 'only optional inputs (an rnn\'s h0 and c0) may be skipped with ""',
      });
    }
  });
}

/** The candidate closest to `word` by edit distance, if it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8 || a.length > 64 || b.length > 64) return Number.POSITIVE_INFINITY;
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      next.push(Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + cost));
    }
    row = next;
  }
  return row[b.length] ?? Number.POSITIVE_INFINITY;
}
