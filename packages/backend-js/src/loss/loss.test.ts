import { BackendError } from "@recurrent/core";
import { describe, expect, test } from "vitest";
import type { Value } from "../engine/value.js";
import { runLoss } from "./loss.js";

const seq = (data: number[], shape: number[], lengths?: number[]): Value => ({
  shape,
  data: Float32Array.from(data),
  lengths: lengths ? Int32Array.from(lengths) : undefined,
});

describe("mse", () => {
  test("averages over valid frames and features only (closed form)", () => {
    // [T=2, B=2, F=1]; sample 1 has one valid frame, its padded frame holds garbage in the target.
    const y = seq([1, 2, 3, 0], [2, 2, 1], [2, 1]);
    const target = { shape: [2, 2, 1], data: Float32Array.from([0, 0, 0, 99]) };
    const { value, grad } = runLoss("mse", y, target, "out");
    expect(value).toBeCloseTo(14 / 3, 6);
    expect([...grad].map((g) => +g.toFixed(6))).toEqual([+(2 / 3).toFixed(6), +(4 / 3).toFixed(6), 2, 0]);
  });

  test("a vector output counts every row; no valid frame gives 0", () => {
    const { value } = runLoss(
      { kind: "mse" },
      seq([1, 3], [2, 1]),
      { shape: [2, 1], data: Float32Array.from([0, 1]) },
      "o",
    );
    expect(value).toBeCloseTo(2.5, 6);
    const empty = runLoss("mse", seq([5, 5], [1, 2, 1], [0, 0]), { shape: [1, 2, 1], data: new Float32Array(2) }, "o");
    expect(empty.value).toBe(0);
    expect([...empty.grad]).toEqual([0, 0]);
  });

  test("a misshapen or int target is FEED_SHAPE", () => {
    const y = seq([1, 2], [2, 1]);
    expect(() => runLoss("mse", y, { shape: [1, 2], data: new Float32Array(2) }, "out")).toThrow(
      /shaped like output "out" \[2, 1\]/,
    );
    expect(() => runLoss("mse", y, { shape: [2, 1], data: new Int32Array(2) }, "out")).toThrow(BackendError);
  });
});

describe("softmax cross-entropy", () => {
  test("class weights (closed form)", () => {
    // Row 0: logits [0, 0], label 0, weight 1. Row 1: logits [ln 3, 0], label 1, weight 3.
    const y = seq([0, 0, Math.log(3), 0], [2, 2]);
    const labels = { shape: [2], data: Int32Array.from([0, 1]) };
    const { value, grad } = runLoss({ kind: "softmaxCrossEntropy", classWeights: [1, 3] }, y, labels, "o");
    expect(value).toBeCloseTo((7 * Math.log(2)) / 4, 6);
    const want = [-0.125, 0.125, 0.5625, -0.5625];
    grad.forEach((g, i) => {
      expect(g).toBeCloseTo(want[i]!, 6);
    });
  });

  test("padded frames are ignored, whatever their label", () => {
    // [T=2, B=1, C=2], length 1: only frame 0 counts; frame 1 has label −1.
    const y = seq([0, Math.log(3), 0, 0], [2, 1, 2], [1]);
    const { value, grad } = runLoss("softmaxCrossEntropy", y, { shape: [2, 1], data: Int32Array.from([1, -1]) }, "o");
    expect(value).toBeCloseTo(-Math.log(0.75), 6);
    expect(grad[2]).toBe(0);
    expect(grad[3]).toBe(0);
    expect(grad[0]).toBeCloseTo(0.25, 6);
  });

  test("bad labels, label shape and class weights are refused", () => {
    const y = seq([0, 0], [1, 2]);
    expect(() => runLoss("softmaxCrossEntropy", y, { shape: [1], data: Int32Array.from([2]) }, "o")).toThrow(
      /label 2 .*outside 0\.\.1/,
    );
    expect(() => runLoss("softmaxCrossEntropy", y, { shape: [1, 1], data: Int32Array.from([0]) }, "o")).toThrow(
      /int32 labels of shape \[1\]/,
    );
    expect(() =>
      runLoss({ kind: "softmaxCrossEntropy", classWeights: [1] }, y, { shape: [1], data: Int32Array.from([0]) }, "o"),
    ).toThrow(/classWeights has 1 entries/);
  });
});
