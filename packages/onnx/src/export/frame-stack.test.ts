// Expected windows are written out by hand; padded frames hold garbage (99) that must read as zeros.
import { frameStack, input, sequential } from "@recurrent/core";
import { describe, expect, test } from "vitest";
import { expectClose, frame, runGraph, t } from "../test-helpers.js";

// [T=3, B=2, D=1]: sample 0 = 1, 2, 3 (length 3); sample 1 = 4 then garbage (length 1).
const x = t([3, 2, 1], [1, 4, 2, 99, 3, -99]);
const lengths = Int32Array.from([3, 1]);

describe("frameStack export", () => {
  test("a symmetric window, oldest frame first, zeros outside each sample", async () => {
    const g = sequential("fs", [input("x", 1), frameStack("w", { left: 1 })]);
    const { w } = await runGraph(g, {}, { x, lengths });
    expect(w?.shape).toEqual([3, 2, 3]);
    expectClose(frame(w!, 0, 0), [0, 1, 2]);
    expectClose(frame(w!, 1, 0), [1, 2, 3]);
    expectClose(frame(w!, 2, 0), [2, 3, 0]);
    expectClose(frame(w!, 0, 1), [0, 4, 0]);
  });

  test("past context only, several features", async () => {
    const g = sequential("fs", [input("x", 2), frameStack("w", { left: 2, right: 0 })]);
    const x2 = t([2, 1, 2], [1, 2, 3, 4]);
    const { w } = await runGraph(g, {}, { x: x2, lengths: Int32Array.of(2) });
    expectClose(frame(w!, 0, 0), [0, 0, 0, 0, 1, 2]);
    expectClose(frame(w!, 1, 0), [0, 0, 1, 2, 3, 4]);
  });

  test("an empty window is the input itself", async () => {
    const g = sequential("fs", [input("x", 1), frameStack("w", { left: 0 })]);
    const { w } = await runGraph(g, {}, { x, lengths });
    expectClose(frame(w!, 1, 0), [2]);
  });
});
