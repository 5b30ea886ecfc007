// exportOnnx → importOnnx over every conformance case: the imported model must compute what the original does.
// Both run in backend-js on the case's feeds (unequal lengths, garbage in padded steps, fed states) and every
// output and final state is compared at 1e-6. Cases whose graphs use ops the importer does not read yet
// (frameStack, lastStep, repeat, and conv1d / pad / pool on inputs with lengths: their exports mask
// padded frames with Where / Range) must be refused with an OnnxImportError that names the node and its op, never
// imported as a different model.
import { jsBackend } from "@recurrent/backend-js";
import { allCases, loadFixture, materializeFixture } from "@recurrent/conformance";
import type { Tensor } from "@recurrent/core";
import { describe, expect, test } from "vitest";
import { exportOnnx } from "../export/index.js";
import { OnnxImportError } from "./errors.js";
import { importOnnx } from "./importer.js";

const IMPORTED_OPS = new Set(["input", "dense", "activation", "dropout", "rnn", "concat", "add", "magnitude"]);
// Time ops import where no input declares lengths: with lengths the exporter masks padded frames (Range, Where).
const NO_LENGTHS_OPS = new Set(["conv1d", "pad", "pool"]);
const cases = allCases;
const supported = cases.filter((c) => {
  const noLengths = c.graph.nodes.every((n) => n.op !== "input" || n.lengths === undefined);
  // Max pooling exports as ReduceMax, which the importer does not read.
  const imported = (n: (typeof c.graph.nodes)[number]): boolean =>
    IMPORTED_OPS.has(n.op) || (noLengths && NO_LENGTHS_OPS.has(n.op) && !(n.op === "pool" && n.mode === "max"));
  return c.graph.nodes.every(imported);
});
const refused = cases.filter((c) => !supported.includes(c));

function maxDiff(a: Tensor, b: Tensor): number {
  expect(b.shape).toEqual(a.shape);
  let worst = 0;
  for (let i = 0; i < a.data.length; i++) worst = Math.max(worst, Math.abs(a.data[i]! - b.data[i]!));
  return worst;
}

test("the loop covers cases of every cell and the refused families", () => {
  expect(supported.length).toBeGreaterThan(20);
  for (const cell of ["lstm", "gru", "simple"]) {
    expect(supported.some((c) => c.graph.nodes.some((n) => n.op === "rnn" && n.cell === cell))).toBe(true);
  }
});

describe("export → import → the same numbers in backend-js (1e-6)", () => {
  test.each(supported.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const fx = materializeFixture(loadFixture(c.name));
    const imported = importOnnx(exportOnnx(fx.model, fx.weights));
    const backend = jsBackend();
    const original = await backend.compile(fx.model, fx.weights);
    const copy = await backend.compile(imported.model, imported.weights);
    const want = await original.run(fx.feeds);
    const got = await copy.run(fx.feeds);
    let worst = 0;
    for (const [name, value] of Object.entries(want)) {
      const mine = got[imported.outputs[name] ?? name];
      expect(mine, `output ${name}`).toBeDefined();
      worst = Math.max(worst, maxDiff(value, mine as Tensor));
    }
    expect(worst).toBeLessThanOrEqual(1e-6);
    await original.dispose();
    await copy.dispose();
  });
});

describe("cases with ops the importer does not read are refused with the node named", () => {
  test.each(refused.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const fx = materializeFixture(loadFixture(c.name));
    const bytes = exportOnnx(fx.model, fx.weights);
    expect(() => importOnnx(bytes)).toThrow(OnnxImportError);
    try {
      importOnnx(bytes);
    } catch (err) {
      expect((err as OnnxImportError).message).toMatch(/^node .+ \(\w+\): /);
    }
  });
});
