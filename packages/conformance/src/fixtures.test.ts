import { readdirSync, readFileSync } from "node:fs";
import type { Shape } from "@recurrent/core";
import { describe, expect, test } from "vitest";
import { allCases } from "./cases/index.js";
import { fixturesDir, loadFixture } from "./fixture.js";
import { materializeFixture } from "./materialize.js";

/** Largest acceptable |autograd − central difference| in the generator (float64, step 1e-6). */
const FD_LIMIT = 1e-6;

const concrete = (shape: Shape, sizes: Readonly<Record<string, number>>) =>
  shape.map((d) => (typeof d === "number" ? d : sizes[d]));

test("every case has a fixture and every fixture a case", () => {
  const files = readdirSync(fixturesDir).filter((f) => f.endsWith(".json"));
  expect(files.map((f) => f.slice(0, -".json".length)).sort()).toEqual(allCases.map((c) => c.name).sort());
});

test("case names are unique, kebab-case and equal to their graph names", () => {
  const names = allCases.map((c) => c.name);
  expect(new Set(names).size).toBe(names.length);
  for (const c of allCases) {
    expect(c.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(c.graph.name).toBe(c.name);
  }
});

test("tooling/fixtures/cases.json, the generator's input, matches the case definitions", () => {
  const dumped = JSON.parse(readFileSync(new URL("../../../tooling/fixtures/cases.json", import.meta.url), "utf8"));
  expect(dumped.cases).toEqual(JSON.parse(JSON.stringify(allCases)));
});

test("loadFixture names the missing file", () => {
  expect(() => loadFixture("no-such-case")).toThrowError(/no fixture .*no-such-case\.json/);
});

describe.each(allCases.map((c) => [c.name, c] as const))("%s", (name, c) => {
  const fixture = loadFixture(name);

  test("is up to date with its case definition", () => {
    // A stale fixture means cases.json and the fixtures were not regenerated after editing src/cases.
    expect(fixture.graph).toEqual(JSON.parse(JSON.stringify(c.graph)));
    expect(fixture.sizes).toEqual(c.sizes);
    expect(fixture.feeds.lengths).toEqual(c.lengths);
    expect(Object.keys(fixture.feeds.states).sort()).toEqual([...c.stateFeeds].sort());
    expect(fixture.seed).toBe(c.seed);
    expect(fixture.loss).toEqual({ output: c.graph.outputs[0], ...c.loss });
  });

  test("records its PyTorch provenance", () => {
    expect(fixture.generator.torch).toMatch(/^1\.13/);
    expect(fixture.generator.command).toMatch(/tooling\/fixtures\/generate\.py/);
    expect(fixture.generator.casesCommand).toMatch(/dump-cases\.ts/);
  });

  test("passes assertValid with its weights, and every weight is a parameter of the graph", () => {
    const { model, weights } = materializeFixture(fixture);
    const specs = [...model.info.params].flatMap(([id, ps]) => ps.map((p) => [`${id}/${p.name}`, p.shape] as const));
    expect(Object.fromEntries(specs)).toEqual(
      Object.fromEntries(Object.entries(weights).map(([k, t]) => [k, t.shape])),
    );
  });

  test("expected shapes and lengths agree with core's shape inference", () => {
    const { model } = materializeFixture(fixture);
    for (const [value, expected] of Object.entries(fixture.expected.outputs)) {
      const shape = model.info.shapes.get(value);
      expect(shape, value).toBeDefined();
      expect(concrete(shape!, fixture.sizes), value).toEqual(expected.shape);
      expect(model.info.lengthsOf.get(value) ?? null, value).toBe(expected.lengths);
    }
    for (const node of model.nodes) {
      if (node.op !== "input") continue;
      expect(fixture.feeds.inputs[node.id]?.shape, node.id).toEqual(concrete(node.shape, fixture.sizes));
    }
  });

  test("lengths are within 0..T and include a 1 or a 0 (the edges of masking)", () => {
    const { model } = materializeFixture(fixture);
    for (const [feed, lengths] of Object.entries(fixture.feeds.lengths)) {
      const input = model.nodes.find((n) => n.op === "input" && n.lengths === feed);
      const time = input?.op === "input" ? concrete(input.shape, fixture.sizes)[0] : undefined;
      expect(time, feed).toBeDefined();
      expect(lengths.length).toBe(fixture.sizes.batch);
      for (const L of lengths) expect(L >= 0 && L <= time!, `${feed}: ${L} in 0..${time}`).toBe(true);
      expect(
        lengths.some((L) => L <= 1),
        `${feed}: [${lengths.join(", ")}] has a sample of length 0 or 1`,
      ).toBe(true);
    }
    const sequenceInputs = model.nodes.filter((n) => n.op === "input" && model.info.lengthsOf.get(n.id) !== undefined);
    expect(sequenceInputs.length).toBe(Object.keys(fixture.feeds.lengths).length);
  });

  test("gradients passed the generator's finite-difference check", () => {
    expect(fixture.fdMaxError).not.toBeNull();
    expect(fixture.fdMaxError!).toBeLessThan(FD_LIMIT);
    expect(Object.keys(fixture.expected.gradients.weights).sort()).toEqual(Object.keys(fixture.weights).sort());
    const feeds = { ...fixture.feeds.inputs, ...fixture.feeds.states };
    expect(Object.keys(fixture.expected.gradients.inputs).sort()).toEqual(Object.keys(feeds).sort());
    for (const [key, g] of Object.entries(fixture.expected.gradients.inputs))
      expect(g.shape).toEqual(feeds[key]?.shape);
  });

  test("inputs are exactly 0 at the case's zeros", () => {
    for (const [id, indices] of Object.entries(c.zeros ?? {})) {
      const t = fixture.feeds.inputs[id]!;
      for (const index of indices) {
        const flat = index.reduce((at, i, axis) => at * t.shape[axis]! + i, 0);
        expect(t.data[flat], `${id}[${index.join(", ")}]`).toBe(0);
      }
    }
  });

  test("the target matches the loss output", () => {
    const out = fixture.expected.outputs[fixture.loss.output]!;
    const labels = fixture.loss.kind === "softmaxCrossEntropy";
    const shape = labels ? out.shape.slice(0, -1) : out.shape;
    expect(fixture.target.shape).toEqual(shape);
    expect(fixture.target.dtype).toBe(labels ? "int32" : "float32");
    if (fixture.loss.kind === "binaryCrossEntropy") {
      // In [0, 1] at valid steps; padded steps hold 2, which the loss must never read.
      const lengths = out.lengths === null ? undefined : fixture.feeds.lengths[out.lengths];
      const [B, F] = [out.shape.at(-2)!, out.shape.at(-1)!];
      fixture.target.data.forEach((y, i) => {
        const [t, b] = [Math.floor(i / (B * F)), Math.floor(i / F) % B];
        const valid = lengths === undefined || t < lengths[b]!;
        expect(valid ? y >= 0 && y <= 1 : y === 2, `target[${i}] = ${y}`).toBe(true);
      });
    }
    if (fixture.target.dtype === "int32") {
      const classes = out.shape.at(-1)!;
      for (const label of fixture.target.data)
        expect(Number.isInteger(label) && label >= 0 && label < classes).toBe(true);
    }
  });
});
