// Expected values by hand: |3 + 4i| = 5, |0 − 2i| = 2, |0 + 0i| = 0.
import { input, magnitude, sequential, vectorInput } from "@recurrent/core";
import { describe, expect, test } from "vitest";
import { expectClose, runGraph, t } from "../test-helpers.js";

describe("magnitude export", () => {
  test("a vector [real | imaginary] → moduli", async () => {
    const g = sequential("m", [vectorInput("x", 4), magnitude("y")]);
    const { y } = await runGraph(g, {}, { x: t([2, 4], [3, 0, 4, -2, 0, -6, 0, 8]) });
    expect(y?.shape).toEqual([2, 2]);
    expectClose([...y!.data], [5, 2, 0, 10]);
  });

  test("a sequence with lengths keeps them (the valid frames are exact)", async () => {
    const g = sequential("m", [input("x", 2), magnitude("y")]);
    const { y } = await runGraph(g, {}, { x: t([2, 1, 2], [-3, 4, 0, 0]), lengths: Int32Array.from([2]) });
    expectClose([...y!.data], [5, 0]);
  });
});
