import { describe, expect, test } from "vitest";
import { badLabel, labelTargetData, mseTargetData } from "./loss-target.js";

const labels = (shape: readonly number[], n: number) => ({ shape, data: new Int32Array(n) });
const floats = (shape: readonly number[], n: number) => ({ shape, data: new Float32Array(n) });

describe("mseTargetData", () => {
  test("returns the data of a float target shaped like the output", () => {
    const target = floats([3, 2, 4], 24);
    expect(mseTargetData([3, 2, 4], target, "out")).toBe(target.data);
  });

  test.each([
    ["int labels", labels([3, 2], 6), /found int32 \[3, 2\]/],
    ["another shape", floats([3, 2, 5], 30), /found float32 \[3, 2, 5\]/],
    ["another rank", floats([6, 4], 24), /found float32 \[6, 4\]/],
  ])("refuses %s with FEED_SHAPE naming the output", (_name, target, found) => {
    const check = () => mseTargetData([3, 2, 4], target, "out");
    expect(check).toThrow(/mse target must be a float32 tensor shaped like output "out" \[3, 2, 4\]/);
    expect(check).toThrow(found);
    expect(check).toThrow(expect.objectContaining({ code: "FEED_SHAPE", nodeId: "out" }));
  });
});

describe("labelTargetData", () => {
  test("returns the labels of an int target shaped like the output without its class axis", () => {
    const seq = labels([3, 2], 6);
    expect(labelTargetData([3, 2, 4], seq, "cls", undefined)).toBe(seq.data);
    const vec = labels([2], 2);
    expect(labelTargetData([2, 4], vec, "cls", [1, 1, 2, 0])).toBe(vec.data);
  });

  test("refuses a float target or one with the class axis kept (FEED_SHAPE)", () => {
    for (const target of [floats([3, 2], 6), labels([3, 2, 4], 24)]) {
      const check = () => labelTargetData([3, 2, 4], target, "cls", undefined);
      expect(check).toThrow(
        /softmaxCrossEntropy target must be int32 labels of shape \[3, 2\] for output "cls" \[3, 2, 4\]/,
      );
      expect(check).toThrow(expect.objectContaining({ code: "FEED_SHAPE", nodeId: "cls" }));
    }
    expect(() => labelTargetData([3, 2, 4], floats([3, 2], 6), "cls", undefined)).toThrow(/found float32 \[3, 2\]/);
  });

  test("refuses class weights of the wrong count (BAD_CONFIG)", () => {
    const check = () => labelTargetData([3, 2, 4], labels([3, 2], 6), "cls", [1, 2, 3]);
    expect(check).toThrow('classWeights has 3 entries, output "cls" has 4 classes');
    expect(check).toThrow(expect.objectContaining({ code: "BAD_CONFIG" }));
  });
});

describe("badLabel", () => {
  test("names the label, its position and the class range", () => {
    expect(badLabel(7, 2, 1, true, 4, "cls")).toMatchObject({
      code: "BAD_CONFIG",
      nodeId: "cls",
      message: 'label 7 at [t=2, b=1] is outside 0..3 (classes of output "cls")',
    });
    expect(badLabel(-1, 0, 3, false, 4, "cls").message).toBe(
      'label -1 at [b=3] is outside 0..3 (classes of output "cls")',
    );
  });
});
