import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { type Tensor, tensor } from "../tensor/tensor.js";
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
  pool,
  repeat,
  rnn,
  vectorInput,
} from "./builders.js";
import { IrError } from "./errors.js";
import { graphToJSON, parseGraph } from "./json.js";
import { ACTIVATIONS, CELLS, DIRECTIONS, type Graph, type LayerNode, MERGES } from "./nodes.js";
import { allowedOptions } from "./options.js";
import { assertValid, validate } from "./validate.js";

/** A random valid chain: each step reads the previous sequence value `prev` and produces a new one. */
const step = fc.record({
  kind: fc.constantFrom("dense", "activation", "dropout", "frameStack", "conv1d", "rnn", "summary", "concat", "add"),
  n: fc.integer({ min: 1, max: 5 }),
  m: fc.integer({ min: 0, max: 2 }),
  cell: fc.constantFrom(...CELLS),
  direction: fc.constantFrom(...DIRECTIONS),
  merge: fc.constantFrom(...MERGES),
  returnSequences: fc.boolean(),
});
const validGraph = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.array(step, { maxLength: 7 })).map(([d, steps]) => {
  const nodes: LayerNode[] = [input("x", d), vectorInput("v", 2)];
  let prev = "x";
  steps.forEach((s, i) => {
    const id = `n${i}`;
    const bi = s.direction === "bidirectional";
    if (s.kind === "dense") nodes.push(dense(id, { units: s.n }, prev));
    if (s.kind === "activation") nodes.push(activation(id, "tanh", prev));
    if (s.kind === "dropout") nodes.push(dropout(id, 0.25, prev));
    if (s.kind === "frameStack") nodes.push(frameStack(id, { left: s.m, right: s.n - 1 }, prev));
    if (s.kind === "conv1d") nodes.push(conv1d(id, { filters: s.n, kernelSize: s.m + 1, dilation: s.n }, prev));
    if (s.kind === "concat") nodes.push(concat(id, prev, "x", prev));
    if (s.kind === "add") nodes.push(add(id, prev, prev));
    if (s.kind === "rnn") {
      const options = { cell: s.cell, units: s.n, direction: s.direction, ...(bi ? { merge: s.merge } : {}) };
      nodes.push(rnn(id, options, prev));
    }
    if (s.kind === "summary") {
      const summary = s.m === 0 ? lastStep(`${id}s`, prev) : s.m === 1 ? pool(`${id}s`, "max", prev) : undefined;
      nodes.push(
        summary ?? rnn(`${id}s`, { cell: s.cell, units: s.n, direction: s.direction, returnSequences: false }, prev),
      );
      nodes.push(s.returnSequences ? repeat(id, {}, `${id}s`, "x") : repeat(id, { steps: s.n }, `${id}s`));
    }
    if (s.kind !== "summary" || s.returnSequences) prev = id;
  });
  return graph("random", nodes, [prev]);
});

type Mutation = (g: Graph, i: number, value: unknown, key: string) => unknown;
const mutations: readonly Mutation[] = [
  (g, i, value, key) => ({ ...g, nodes: g.nodes.map((n, j) => (j === i ? { ...n, [key]: value } : n)) }),
  (g, i, _v, key) => ({ ...g, nodes: g.nodes.map((n, j) => (j === i ? { ...n, [key]: undefined } : n)) }),
  (g, i) => ({ ...g, nodes: [...g.nodes, g.nodes[i % g.nodes.length]] }),
  (g, i) => ({ ...g, nodes: g.nodes.map((n, j) => (j === i ? { ...n, inputs: [...n.inputs].reverse() } : n)) }),
  (g, i, value) => ({ ...g, nodes: g.nodes.map((n, j) => (j === i ? value : n)) }),
  (g, i) => ({ ...g, nodes: g.nodes.map((n, j) => (j === i ? { ...n, inputs: [g.nodes.at(-1)?.id ?? ""] } : n)) }),
  (g, _i, value, key) => ({ ...g, [key]: value }),
];

/** assertValid agrees with validate: it returns exactly when there are no issues, else throws them as an IrError. */
function expectIssuesOrIrError(g: unknown): void {
  const issues = validate(g);
  try {
    assertValid(g);
  } catch (error) {
    if (!(error instanceof IrError)) throw error;
    expect(error.issues).toEqual(issues);
    return;
  }
  expect(issues).toEqual([]);
}

const optionValue = fc.oneof(
  fc.integer({ min: -2, max: 6 }),
  fc.boolean(),
  fc.constantFrom(...ACTIVATIONS, ...CELLS, ...DIRECTIONS, ...MERGES, "same", "causal", 0.5, "", null),
  fc.anything({ maxDepth: 1 }),
);
const anyKey = fc.constantFrom(
  "op",
  "id",
  "inputs",
  "format",
  "outputs",
  "nodes",
  "unit",
  ...Object.values(allowedOptions).flat(),
);

describe("mutations of valid graphs", () => {
  test("validate returns issues and assertValid returns or throws IrError", () => {
    fc.assert(
      fc.property(
        validGraph,
        fc.nat(),
        fc.integer({ min: 0, max: mutations.length - 1 }),
        optionValue,
        anyKey,
        (g, i, m, v, k) => {
          const mutate = mutations[m] as Mutation;
          expectIssuesOrIrError(mutate(g, i % g.nodes.length, v, k));
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("valid graphs", () => {
  test("pass, in any node order, with the same shapes and a topological order", () => {
    fc.assert(
      fc.property(validGraph, fc.nat(), (g, seed) => {
        const model = assertValid(g);
        const shuffled = { ...g, nodes: shuffle(g.nodes, seed) };
        const again = assertValid(shuffled);
        expect(again.info.shapes).toEqual(model.info.shapes);
        expect(again.info.lengthsOf).toEqual(model.info.lengthsOf);
        const seen = new Set<string>([""]);
        for (const node of again.nodes) {
          for (const name of node.inputs)
            expect(seen.has(name), `${node.id} reads ${name} before it is computed`).toBe(true);
          seen.add(node.id).add(`${node.id}/h`).add(`${node.id}/c`);
        }
        for (const node of g.nodes) expect(model.info.shapes.has(node.id)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  test("complete weights pass; one removed, reshaped, poisoned or extra weight gives exactly that issue", () => {
    const withParams = validGraph.filter((g) => assertValid(g).info.params.size > 0);
    fc.assert(
      fc.property(withParams, fc.nat(), fc.integer({ min: 0, max: 3 }), (g, pick, kind) => {
        const model = assertValid(g);
        const weights: Record<string, Tensor> = {};
        for (const [id, specs] of model.info.params) {
          for (const spec of specs) weights[`${id}/${spec.name}`] = tensor(spec.shape);
        }
        expect(validate(g, weights)).toEqual([]);
        const keys = Object.keys(weights);
        const key = keys[pick % keys.length] as string;
        const t = weights[key] as Tensor;
        const mutated = { ...weights };
        if (kind === 0) delete mutated[key];
        if (kind === 1) mutated[key] = tensor([...t.shape, 1]);
        if (kind === 2)
          mutated[key] = { shape: t.shape, data: t.data.map((_, i) => (i === t.data.length - 1 ? Number.NaN : 0)) };
        if (kind === 3) mutated[`${key}_extra`] = t;
        const codes = validate(g, mutated).map((i) => [i.code, i.nodeId]);
        const expected = ["WEIGHT_MISSING", "WEIGHT_SHAPE", "WEIGHT_NOT_FINITE", "WEIGHT_UNEXPECTED"][kind];
        expect(codes).toEqual([[expected, key.slice(0, key.lastIndexOf("/"))]]);
      }),
      { numRuns: 150 },
    );
  });

  test("round-trip through JSON unchanged", () => {
    fc.assert(
      fc.property(validGraph, (g) => {
        expect(parseGraph(graphToJSON(g))).toEqual(g);
        expect(graphToJSON(parseGraph(graphToJSON(g)))).toBe(graphToJSON(g));
      }),
      { numRuns: 100 },
    );
  });
});

function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed + 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
