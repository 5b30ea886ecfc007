import { describe, expect, test } from "vitest";
import { conv1d, dense, frameStack, input, repeat, rnn, sequential, vectorInput } from "./builders.js";
import type { Graph } from "./nodes.js";
import { LIMITS } from "./options.js";
import { validate } from "./validate.js";

/** The issues of a graph, as `CODE node: message` lines. */
const issuesOf = (graph: Graph) => validate(graph).map((i) => `${i.code} ${i.nodeId}: ${i.message}`);

describe("documented bounds refuse absurd sizes at validation, naming the node (no allocation, no RangeError)", () => {
  test("dense units 1e9", () => {
    const issues = issuesOf(sequential("g", [input("x", 3), dense("big", { units: 1e9 })]));
    expect(issues).toEqual([`BAD_OPTION big: option "units" is 1000000000, expected a positive integer at most 65536`]);
  });

  test("rnn units just over the bound, and exactly at it", () => {
    const over = issuesOf(sequential("g", [input("x", 3), rnn("r", { cell: "gru", units: LIMITS.maxUnits + 1 })]));
    expect(over).toEqual([`BAD_OPTION r: option "units" is 65537, expected a positive integer at most 65536`]);
    const at = validate(sequential("g", [input("x", 1), rnn("r", { cell: "simple", units: 4096 })]));
    expect(at).toEqual([]);
  });

  test("frameStack left 1e9", () => {
    const issues = issuesOf(sequential("g", [input("x", 3), frameStack("fs", { left: 1e9, right: 0 })]));
    expect(issues).toEqual([
      `BAD_OPTION fs: option "left" is 1000000000, expected a non-negative integer at most 1000`,
    ]);
  });

  test("repeat steps 1e9", () => {
    const issues = issuesOf(sequential("g", [vectorInput("v", 3), repeat("rep", { steps: 1e9 })]));
    expect(issues).toEqual([
      `BAD_OPTION rep: option "steps" is 1000000000, expected a positive integer at most 1000000`,
    ]);
  });

  test("conv1d receptive field over the window bound", () => {
    const issues = issuesOf(
      sequential("g", [input("x", 3), conv1d("c", { filters: 2, kernelSize: 11, dilation: 100 })]),
    );
    expect(issues).toEqual([`BAD_OPTION c: receptive field dilation·(kernelSize − 1) + 1 = 1001 frames is over 1000`]);
  });

  test("a parameter over maxParamElements (65536 × 65536 dense) is TOO_LARGE, with its shape", () => {
    const issues = issuesOf(
      sequential("g", [input("x", 65_536), dense("wide", { units: 65_536 }), dense("out", { units: 1 })]),
    );
    expect(issues).toEqual([
      `TOO_LARGE wide: parameter "weight" would be [65536, 65536] = 4294967296 elements, over the limit of 268435456`,
    ]);
  });
});

describe("names that are JavaScript prototype keys", () => {
  test('a node named "__proto__" is refused (it would vanish from a plain-object result)', () => {
    const issues = issuesOf(sequential("g", [input("x", 3), dense("__proto__", { units: 2 })]));
    expect(issues[0]).toBe(`BAD_GRAPH __proto__: node 1 has the reserved id "__proto__"`);
  });

  test('a lengths feed named "__proto__" is refused', () => {
    const issues = issuesOf(sequential("g", [input("x", 3, { lengths: "__proto__" }), dense("d", { units: 2 })]));
    expect(issues).toEqual([
      `BAD_OPTION x: option "lengths" is "__proto__", expected a non-empty string other than "__proto__"`,
    ]);
  });

  test("other prototype keys are ordinary names", () => {
    const graph = sequential("g", [
      input("constructor", 3),
      dense("toString", { units: 2 }),
      dense("hasOwnProperty", { units: 1 }),
    ]);
    expect(validate(graph)).toEqual([]);
  });
});
