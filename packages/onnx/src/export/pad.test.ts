// Expected values by hand: PyTorch/ONNX reflect mirrors around the edge frame without repeating it.
import { dense, graph, input, pad, sequential, type Tensor } from "@recurrent/core";
import { describe, expect, test } from "vitest";
import { expectClose, runGraph, t } from "../test-helpers.js";

// [T=3, B=2, D=1]: sample 0 = 1, 2, 3; sample 1 = 10, 20, 30.
const x = t([3, 2, 1], [1, 10, 2, 20, 3, 30]);
const series = (y: Tensor, b: number) =>
  Array.from({ length: y.shape[0] as number }, (_, s) => y.data[s * 2 + b] as number);

describe("pad export", () => {
  test("reflect, 2 before and 1 after: 3 2 | 1 2 3 | 2", async () => {
    const g = sequential("p", [input("x", 1, { lengths: false }), pad("y", { before: 2, after: 1, mode: "reflect" })]);
    const { y } = await runGraph(g, {}, { x });
    expect(y?.shape).toEqual([6, 2, 1]);
    expectClose(series(y!, 0), [3, 2, 1, 2, 3, 2]);
    expectClose(series(y!, 1), [30, 20, 10, 20, 30, 20]);
  });

  test("zero, 1 before and 2 after", async () => {
    const g = sequential("p", [input("x", 1, { lengths: false }), pad("y", { before: 1, after: 2 })]);
    const { y } = await runGraph(g, {}, { x });
    expectClose(series(y!, 0), [0, 1, 2, 3, 0, 0]);
  });

  test("nothing added: an Identity that keeps the input's lengths", async () => {
    const g = graph("p", [input("x", 1), pad("y", {}, "x"), dense("out", { units: 1 }, "y")], ["out"]);
    const weights = { "out/weight": t([1, 1], [2]), "out/bias": t([1], [0]) };
    const { out } = await runGraph(g, weights, { x, lengths: Int32Array.from([3, 1]) });
    expectClose(series(out!, 0), [2, 4, 6]);
    expect(out!.data[1]).toBe(20);
  });
});
