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

describe("binary cross-entropy", () => {
  test("probabilities with class weights [0.5, 1] (closed form)", () => {
    // Frame 0: p 0.8, target 1 (w 1), ℓ = −ln 0.8. Frame 1: p 0.25, target 0 (w 0.5), ℓ = −ln 0.75.
    const y = seq([0.8, 0.25], [2, 1]);
    const target = { shape: [2, 1], data: Float32Array.of(1, 0) };
    const { value, grad } = runLoss({ kind: "binaryCrossEntropy", classWeights: [0.5, 1] }, y, target, "o");
    expect(value).toBeCloseTo((-Math.log(0.8) - 0.5 * Math.log(0.75)) / 2, 6);
    // dℓ/dp = (p − y) / (p(1 − p)), times w / 2 frames.
    expect(grad[0]).toBeCloseTo(-0.2 / (0.8 * 0.2) / 2, 6);
    expect(grad[1]).toBeCloseTo((0.5 * (0.25 / (0.25 * 0.75))) / 2, 6);
  });

  test("logits, a soft target and a masked frame (closed form)", () => {
    // [T=2, B=1, F=1], length 1: frame 1 is ignored, however out of range its target. z = 0, y = 0.3:
    // ℓ = ln 2, w = 0.5·0.7 + 2·0.3 = 0.95, dℓ/dz = σ(0) − 0.3 = 0.2.
    const y = seq([0, 7], [2, 1, 1], [1]);
    const target = { shape: [2, 1, 1], data: Float32Array.of(0.3, 5) };
    const { value, grad } = runLoss(
      { kind: "binaryCrossEntropy", fromLogits: true, classWeights: [0.5, 2] },
      y,
      target,
      "o",
    );
    expect(value).toBeCloseTo(0.95 * Math.log(2), 6);
    expect(grad[0]).toBeCloseTo(0.95 * 0.2, 6);
    expect(grad[1]).toBe(0);
  });

  test("large logits do not overflow; log p is clamped at −100 like BCELoss", () => {
    const logits = runLoss(
      { kind: "binaryCrossEntropy", fromLogits: true },
      seq([-1000, 1000], [2, 1]),
      { shape: [2, 1], data: Float32Array.of(1, 1) },
      "o",
    );
    expect(logits.value).toBeCloseTo(500, 6); // (1000 + 0) / 2
    expect([...logits.grad]).toEqual([-0.5, 0]);
    const probs = runLoss(
      "binaryCrossEntropy",
      seq([0, 1], [2, 1]),
      { shape: [2, 1], data: Float32Array.of(1, 0) },
      "o",
    );
    expect(probs.value).toBeCloseTo(100, 6);
  });

  test("matches central finite differences, probabilities and logits", () => {
    const shape = [3, 2, 2];
    const lengths = [3, 2];
    const base = Array.from({ length: 12 }, (_, i) => 0.1 + 0.07 * i);
    const target = { shape, data: Float32Array.from(base, (_, i) => (i % 3) / 2) };
    for (const config of [
      { kind: "binaryCrossEntropy" as const, classWeights: [0.5, 1] },
      { kind: "binaryCrossEntropy" as const, fromLogits: true, classWeights: [2, 1] },
    ]) {
      const values = config.fromLogits ? base.map((v) => 4 * v - 2) : base;
      const { grad } = runLoss(config, seq(values, shape, lengths), target, "o");
      const eps = 1e-3;
      values.forEach((v, i) => {
        const at = (d: number) => {
          const data = values.slice();
          data[i] = v + d;
          return runLoss(config, seq(data, shape, lengths), target, "o").value;
        };
        expect(grad[i], `${config.fromLogits ? "logits" : "probabilities"} [${i}]`).toBeCloseTo(
          (at(eps) - at(-eps)) / (2 * eps),
          3,
        );
      });
    }
  });

  test("a target outside [0, 1] or a bad shape is refused, naming where", () => {
    const y = seq([0.5, 0.5, 0.5, 0.5], [2, 1, 2]);
    expect(() =>
      runLoss("binaryCrossEntropy", y, { shape: [2, 1, 2], data: Float32Array.of(0, 1, 1, 2) }, "out"),
    ).toThrow(/target 2 at \[t=1, b=0, f=1\] is outside \[0, 1\] \(output "out"\)/);
    expect(() => runLoss("binaryCrossEntropy", y, { shape: [2, 1], data: Int32Array.of(0, 1) }, "out")).toThrow(
      /float32 tensor of 0..1 values shaped like output "out" \[2, 1, 2\], found int32 \[2, 1\]/,
    );
  });
});
