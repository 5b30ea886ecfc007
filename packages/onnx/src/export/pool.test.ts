// Expected values by hand: mean / max / last over each sample's valid steps, zeros for length 0; padded steps hold
// garbage (±1000) that must never be read.
import { graph, input, lastStep, pool } from "@recurrent/core";
import { describe, expect, test } from "vitest";
import { expectClose, runGraph, t } from "../test-helpers.js";

// [T=3, B=3, D=2]; lengths 3, 1, 0.
const x = t(
  [3, 3, 2],
  [
    [-1, 2, -5, 6, 1000, 1000],
    [-3, 4, 1000, -1000, 1000, 1000],
    [-2, 9, 1000, 1000, -1000, 1000],
  ].flat(),
);
const lengths = Int32Array.from([3, 1, 0]);
const g = graph(
  "pool",
  [input("x", 2), pool("mean", "mean", "x"), pool("max", "max", "x"), lastStep("last", "x")],
  ["mean", "max", "last"],
);

describe("pool and lastStep export", () => {
  test("masked by lengths, zeros for an empty sample", async () => {
    const out = await runGraph(g, {}, { x, lengths });
    expect(out.mean?.shape).toEqual([3, 2]);
    expectClose([...out.mean!.data], [-2, 5, -5, 6, 0, 0]);
    expectClose([...out.max!.data], [-1, 9, -5, 6, 0, 0]);
    expectClose([...out.last!.data], [-2, 9, -5, 6, 0, 0]);
  });

  test("without a lengths feed every step counts", async () => {
    const unmasked = graph(
      "pool",
      [
        { op: "input", id: "x", inputs: [], shape: ["time", "batch", 2] },
        pool("mean", "mean", "x"),
        pool("max", "max", "x"),
        lastStep("last", "x"),
      ],
      ["mean", "max", "last"],
    );
    const small = t([2, 1, 2], [1, -4, 3, -2]);
    const out = await runGraph(unmasked, {}, { x: small });
    expectClose([...out.mean!.data], [2, -3]);
    expectClose([...out.max!.data], [3, -2]);
    expectClose([...out.last!.data], [3, -2]);
  });
});
