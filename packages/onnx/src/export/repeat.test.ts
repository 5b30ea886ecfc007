// Expected values by hand.
import { add, concat, graph, input, repeat, vectorInput } from "@recurrent/core";
import { describe, expect, test } from "vitest";
import { expectClose, frame, runGraph, t } from "../test-helpers.js";

describe("repeat, concat and add export", () => {
  test("repeat over a fixed number of steps", async () => {
    const g = graph("r", [vectorInput("v", 2), repeat("seq", { steps: 3 }, "v")], ["seq"]);
    const { seq } = await runGraph(g, {}, { v: t([2, 2], [1, 2, 3, 4]) });
    expect(seq?.shape).toEqual([3, 2, 2]);
    for (let s = 0; s < 3; s++) {
      expectClose(frame(seq!, s, 0), [1, 2]);
      expectClose(frame(seq!, s, 1), [3, 4]);
    }
  });

  test("repeat like a sequence takes its (dynamic) time dim; concat and add per frame", async () => {
    const g = graph(
      "r",
      [
        vectorInput("v", 2),
        input("x", 2),
        repeat("seq", {}, "v", "x"),
        concat("both", "x", "seq"),
        add("sum", "x", "seq", "x"),
      ],
      ["seq", "both", "sum"],
    );
    const x = t([4, 1, 2], [1, 1, 2, 2, 3, 3, 4, 4]);
    const out = await runGraph(g, {}, { v: t([1, 2], [10, 20]), x, lengths: Int32Array.of(4) });
    expect(out.seq?.shape).toEqual([4, 1, 2]);
    expectClose(frame(out.both!, 2, 0), [3, 3, 10, 20]);
    expectClose(frame(out.sum!, 3, 0), [18, 28]);
  });
});
