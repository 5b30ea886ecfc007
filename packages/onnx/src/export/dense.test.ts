// Expected values are worked out by hand from y = act(x·Wᵀ + b).
import { activation, dense, dropout, graph, input, sequential, vectorInput } from "@recurrent/core";
import { describe, expect, test } from "vitest";
import { expectClose, frame, runGraph, t } from "../test-helpers.js";

const W = t([3, 2], [1, 0, 0, 1, 1, -1]);
const b = t([3], [0.5, -1, 0]);

describe("dense export", () => {
  test("per frame on a sequence: MatMul with the transposed weight, then the bias", async () => {
    const g = sequential("d", [input("x", 2), dense("y", { units: 3 })]);
    const x = t([2, 1, 2], [1, 2, 3, 5]);
    const { y } = await runGraph(g, { "y/weight": W, "y/bias": b }, { x, lengths: Int32Array.of(2) });
    expect(y?.shape).toEqual([2, 1, 3]);
    expectClose(frame(y!, 0, 0), [1.5, 1, -1]);
    expectClose(frame(y!, 1, 0), [3.5, 4, -2]);
  });

  test("on a vector input, without bias, with relu", async () => {
    const g = sequential("d", [vectorInput("v", 2), dense("y", { units: 3, useBias: false, activation: "relu" })]);
    const { y } = await runGraph(g, { "y/weight": W }, { v: t([2, 2], [1, 2, -3, 1]) });
    expect(y?.shape).toEqual([2, 3]);
    expectClose([...y!.data], [1, 2, 0, 0, 1, 0]);
  });

  test("softmax normalises over the features", async () => {
    const g = sequential("d", [vectorInput("v", 1), dense("y", { units: 2, activation: "softmax" })]);
    const weights = { "y/weight": t([2, 1], [0, 0]), "y/bias": t([2], [0, Math.log(3)]) };
    const { y } = await runGraph(g, weights, { v: t([1, 1], [7]) });
    expectClose([...y!.data], [0.25, 0.75]);
  });

  test("activation nodes and dropout (identity at inference)", async () => {
    const g = graph(
      "acts",
      [
        vectorInput("v", 3),
        dropout("drop", 0.5, "v"),
        activation("tanh", "tanh", "drop"),
        activation("sig", "sigmoid", "v"),
        activation("relu", "relu", "v"),
        activation("lin", "linear", "v"),
      ],
      ["drop", "tanh", "sig", "relu", "lin"],
    );
    const v = [-1, 0, 2];
    const out = await runGraph(g, {}, { v: t([1, 3], v) });
    expectClose([...out.drop!.data], v);
    expectClose([...out.tanh!.data], v.map(Math.tanh));
    expectClose(
      [...out.sig!.data],
      v.map((x) => 1 / (1 + Math.exp(-x))),
    );
    expectClose([...out.relu!.data], [0, 0, 2]);
    expectClose([...out.lin!.data], v);
  });
});
