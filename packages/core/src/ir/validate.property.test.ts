import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Weights } from "../weights/weights.js";
import {
  activation,
  add,
  concat,
  conv1d,
  dense,
  dropout,
  frameStack,
  graph,
  input,
  lastStep,
  magnitude,
  pad,
  pool,
  repeat,
  rnn,
} from "./builders.js";
import { IrError, type IssueCode } from "./errors.js";
import { ACTIVATIONS, CELLS, DIRECTIONS, GRAPH_FORMAT, type LayerNode, MERGES, OPS } from "./nodes.js";
import { assertValid, validate } from "./validate.js";

const CODES: readonly IssueCode[] = [
  ...["BAD_GRAPH", "BAD_FORMAT", "UNKNOWN_OP", "DUPLICATE_ID", "UNKNOWN_INPUT", "CYCLE", "ARITY", "RANK"],
  ...["FEATURE_MISMATCH", "TIME_MISMATCH", "BATCH_MISMATCH", "SHAPE_MISMATCH", "MISSING_OPTION", "UNKNOWN_OPTION"],
  ...["BAD_OPTION", "UNKNOWN_OUTPUT", "NO_OUTPUTS", "WEIGHT_MISSING", "WEIGHT_SHAPE", "WEIGHT_UNEXPECTED"],
  "WEIGHT_NOT_FINITE",
] as IssueCode[];

const IDS = ["x", "v", "a", "b", "c", "x/h", "a/h", "a/c", "", "lengths"];
const OPTION_KEYS = [
  ...["shape", "lengths", "units", "activation", "useBias", "rate", "left", "right", "filters", "kernelSize"],
  ...["dilation", "padding", "cell", "direction", "merge", "tiedDirections", "returnSequences", "resetAfter"],
  ...["mode", "steps", "unit", "__proto__", "constructor"],
];

const garbage = fc.oneof(
  fc.constantFrom(Number.NaN, -1, 0, 1, 2, 2.5, 1e12, "", "time", "batch", "lstm", [], {}, null, undefined, true),
  fc.anything({ maxDepth: 2 }),
);
const optionValue = fc.oneof(
  fc.integer({ min: -2, max: 6 }),
  fc.boolean(),
  fc.constantFrom(...ACTIVATIONS, ...CELLS, ...DIRECTIONS, ...MERGES, "same", "causal", "mean", "max", 0.5),
  fc.constantFrom(["time", "batch", 3], ["batch", 2], [1, "batch", 4], [2, "batch", 2], [5, "batch", 3]),
  garbage,
);
const randomNode = fc.oneof(
  fc
    .record(
      {
        op: fc.oneof(fc.constantFrom(...OPS), garbage),
        id: fc.oneof(fc.constantFrom(...IDS), garbage),
        inputs: fc.oneof(fc.array(fc.constantFrom(...IDS), { maxLength: 4 }), garbage),
      },
      { requiredKeys: [] },
    )
    .chain((base) =>
      fc.dictionary(fc.constantFrom(...OPTION_KEYS), optionValue, { maxKeys: 6 }).map((opts) => ({ ...opts, ...base })),
    ),
  garbage,
);
/** Graphs of builder-made nodes from small random numbers, wired to earlier (or any) values: often ill-shaped. */
const plausibleGraph = fc
  .array(
    fc.record({
      op: fc.constantFrom(...OPS),
      picks: fc.array(fc.nat({ max: 40 }), { minLength: 1, maxLength: 3 }),
      n: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 4 }), weight: 12 }, fc.constantFrom(-1, 0)),
      cell: fc.constantFrom(...CELLS),
      direction: fc.constantFrom(...DIRECTIONS),
      flag: fc.boolean(),
      shape: fc.constantFrom(
        ["time", "batch", 3],
        ["t2", "batch", 3],
        ["batch", 2],
        [1, "batch", 4],
        [2, "batch", 2],
        [5, "batch", 3],
      ),
    }),
    { minLength: 1, maxLength: 9 },
  )
  .map((specs) => {
    const values = ["x"];
    const name = (k: number, i: number) => {
      if (k === 40) return "";
      if (k === 39) return `n${(k + i) % 9}`; // possibly later, or missing
      const value = values[k % values.length] as string;
      return k % 7 === 6 ? `${value}/h` : k % 11 === 10 ? `${value}/c` : value;
    };
    const nodes = specs.map(({ op, picks, n, cell, direction, flag, shape }, i): LayerNode => {
      const id = `n${i}`;
      const inputs = picks.map((k) => name(k, i));
      const [x = "x", y = "x"] = inputs;
      values.push(id);
      switch (op) {
        case "input":
          return shape.length === 3 && typeof shape[0] === "string"
            ? input(id, shape[2] as number, { time: shape[0], ...(flag ? {} : { lengths: `${shape[0]}L` }) })
            : { op, id, inputs: [], shape };
        case "dense":
          return dense(id, { units: n }, x);
        case "activation":
          return activation(id, "relu", x);
        case "dropout":
          return dropout(id, n / 4, x);
        case "frameStack":
          return frameStack(id, { left: n }, x);
        case "conv1d":
          return conv1d(id, { filters: n + 1, kernelSize: 2, padding: flag ? "same" : "causal" }, x);
        case "rnn":
          return rnn(id, { cell, units: n, direction, returnSequences: flag }, ...inputs);
        case "lastStep":
          return lastStep(id, x);
        case "pool":
          return pool(id, "mean", x);
        case "repeat":
          return flag ? repeat(id, { steps: n }, x) : repeat(id, {}, x, y);
        case "concat":
          return concat(id, ...inputs);
        case "add":
          return add(id, ...inputs);
        case "pad":
          return pad(id, { before: n % 3, after: flag ? 1 : 0, mode: flag ? "reflect" : "zero" }, x);
        case "magnitude":
          return magnitude(id, x);
        default:
          throw new Error(`no builder for ${op satisfies never}`);
      }
    });
    return graph("plausible", [input("x", 3), ...nodes], [nodes.at(-1)?.id ?? "x"]);
  });
const randomGraph = fc.record(
  {
    format: fc.oneof({ arbitrary: fc.constant(GRAPH_FORMAT), weight: 6 }, garbage),
    name: fc.oneof(fc.string(), garbage),
    nodes: fc.oneof({ arbitrary: fc.array(randomNode, { maxLength: 8 }), weight: 6 }, garbage),
    outputs: fc.oneof(
      { arbitrary: fc.array(fc.constantFrom(...IDS), { minLength: 1, maxLength: 3 }), weight: 6 },
      garbage,
    ),
  },
  { requiredKeys: ["format", "name", "nodes", "outputs"] },
);
const randomWeights = fc.oneof(
  fc.constant(undefined),
  fc.dictionary(
    fc.constantFrom("a/weight", "a/weight_ih", "a/bias", "b/weight", "x", "zz/w"),
    fc.oneof(
      fc.constantFrom([1], [2, 3], [4, 3], [12, 3]).map((shape) => ({ shape, data: new Float32Array(shape[0] ?? 0) })),
      garbage,
    ),
  ),
  garbage,
);

/** validate never throws and returns well-formed issues; assertValid returns or throws an IrError with the same issues. */
function checkTotal(g: unknown, weights: unknown): void {
  const issues = validate(g, weights as Weights);
  expect(Array.isArray(issues)).toBe(true);
  const malformed = issues.filter((issue) => !CODES.includes(issue.code) || typeof issue.message !== "string");
  expect(malformed).toEqual([]);
  let model: unknown;
  try {
    model = assertValid(g, weights as Weights);
  } catch (error) {
    if (!(error instanceof IrError)) throw error;
    expect(error.issues.map((i) => i.code)).toEqual(issues.map((i) => i.code));
    expect(error.issues.length).toBeGreaterThan(0);
    return;
  }
  expect(issues).toEqual([]);
  expect(validate(model, weights as Weights)).toEqual([]);
}

describe("validate is total", () => {
  test("random graphs and weights: validate returns issues, assertValid returns or throws IrError", () => {
    fc.assert(
      fc.property(randomGraph, randomWeights, (g, w) => checkTotal(g, w)),
      { numRuns: 300 },
    );
  });

  test("builder-made graphs with random wiring and numbers", () => {
    const weights = fc.dictionary(
      fc.constantFrom("n1/weight", "n1/bias", "n2/weight", "n2/weight_ih", "n2/bias_hh", "n3/weight", "n9/x"),
      fc.constantFrom([1], [2, 3], [4, 3], [12, 3], [3, 2, 2]).map((shape) => ({
        shape,
        data: new Float32Array(shape.reduce((a: number, b: number) => a * b, 1)),
      })),
    );
    fc.assert(
      fc.property(plausibleGraph, fc.option(weights), (g, w) => checkTotal(g, w ?? undefined)),
      { numRuns: 300 },
    );
  });

  test("anything at all, and graphs with fields missing", () => {
    const partial = fc.record(
      { format: fc.constant(GRAPH_FORMAT), name: fc.string(), nodes: fc.array(randomNode), outputs: garbage },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(partial, (g) => checkTotal(g, undefined)),
      { numRuns: 100 },
    );
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (g, w) => checkTotal(g, w)),
      { numRuns: 300 },
    );
  });

  test("hostile objects: throwing getters and proxies become a BAD_GRAPH issue", () => {
    const throwing = Object.defineProperty({ format: GRAPH_FORMAT, name: "g", outputs: ["x"] }, "nodes", {
      get() {
        throw new Error("boom");
      },
      enumerable: true,
    });
    expect(validate(throwing).map((i) => i.code)).toEqual(["BAD_GRAPH"]);
    const proxy = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error("no keys");
        },
        get: () => {
          throw new Error("no");
        },
      },
    );
    expect(() => assertValid(proxy)).toThrowError(IrError);
  });
});
