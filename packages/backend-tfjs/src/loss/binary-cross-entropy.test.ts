// binaryCrossEntropy against the closed form, computed here in float64 from the formula (PyTorch BCELoss /
// BCEWithLogitsLoss), with class weights and a lengths mask; and a finite gradient where a sigmoid saturates.
import { assertValid, dense, input, sequential } from "@recurrent/core";
import { describe, expect, test } from "vitest";
import { tfjsBackend } from "../index.js";

// A linear identity model: out = x (weight 1, bias 0), so the output is exactly the fed values.
const model = assertValid(sequential("id", [input("x", 1), dense("out", { units: 1 })]));
const weights = {
  "out/weight": { shape: [1, 1], data: Float32Array.of(1) },
  "out/bias": { shape: [1], data: Float32Array.of(0) },
};
// T 3, B 2, lengths (3, 1): frames (t, b) valid: (0,0) (1,0) (2,0) (0,1).
const x = Float32Array.of(0.9, 0.2, 0.3, 0.7, 0.6, 0.5);
const y = Float32Array.of(1, 0, 0, 1, 1, 0.5);
const lengths = Int32Array.of(3, 1);
const valid = [0, 1, 2, 4];
const batch = { inputs: { x: { shape: [3, 2, 1], data: x }, lengths }, target: { shape: [3, 2, 1], data: y } };

function expected(fromLogits: boolean, w: readonly [number, number]): { loss: number; grads: number[] } {
  let loss = 0;
  const grads = new Array<number>(6).fill(0);
  for (const i of valid) {
    const [v, t] = [x[i]!, y[i]!];
    const weight = w[0] * (1 - t) + w[1] * t;
    if (fromLogits) {
      loss += weight * (Math.max(v, 0) - v * t + Math.log1p(Math.exp(-Math.abs(v))));
      grads[i] = (weight * (1 / (1 + Math.exp(-v)) - t)) / valid.length;
    } else {
      loss -= weight * (t * Math.max(Math.log(v), -100) + (1 - t) * Math.max(Math.log(1 - v), -100));
      grads[i] = (weight * (v - t)) / Math.max(v * (1 - v), 1e-12) / valid.length;
    }
  }
  return { loss: loss / valid.length, grads };
}

describe.each(["cpu", "wasm"])("binaryCrossEntropy on %s", (name) => {
  const backend = tfjsBackend({ backend: name });
  for (const fromLogits of [false, true]) {
    for (const w of [undefined, [0.5, 1] as const]) {
      test(`fromLogits ${fromLogits}, classWeights ${w ?? "none"}: loss and d loss / d output`, async () => {
        const loss = { kind: "binaryCrossEntropy" as const, fromLogits, ...(w ? { classWeights: w } : {}) };
        const g = await backend.gradients(model, weights, batch, { loss });
        const e = expected(fromLogits, w ?? [1, 1]);
        expect(g.loss).toBeCloseTo(e.loss, 6);
        // d loss / d x = d loss / d out (identity layer); padded frames 0.
        [...g.inputs.x!.data].forEach((v, i) => {
          expect(v).toBeCloseTo(e.grads[i]!, 6);
        });
      });
    }
  }

  test("probabilities of exactly 0 and 1 give the clamped loss and finite gradients (PyTorch's)", async () => {
    const p = Float32Array.of(1, 0, 1, 0, 0, 0);
    const t = Float32Array.of(1, 0, 0, 0, 0, 0);
    const g = await backend.gradients(
      model,
      weights,
      { inputs: { x: { shape: [3, 2, 1], data: p }, lengths }, target: { shape: [3, 2, 1], data: t } },
      { loss: "binaryCrossEntropy" },
    );
    // Frame (1, 0): p 1, target 0 → ℓ = 100; the rest 0. Gradient there (1 − 0)/1e-12/4, elsewhere 0.
    expect(g.loss).toBeCloseTo(100 / 4, 4);
    const grads = [...g.inputs.x!.data];
    expect(grads.every(Number.isFinite)).toBe(true);
    expect(grads[2]! / (1 / 1e-12 / 4)).toBeCloseTo(1, 5);
    expect(grads.filter((_, i) => i !== 2)).toEqual([0, 0, 0, 0, 0]);
  });

  test("a target outside [0, 1] at a valid frame is refused, naming [t, b, f]; at a padded frame it is ignored", async () => {
    const bad = Float32Array.of(1, 0, 0, 1.5, 1, 0);
    const run = (data: Float32Array) =>
      backend.gradients(
        model,
        weights,
        { ...batch, target: { shape: [3, 2, 1], data } },
        { loss: "binaryCrossEntropy" },
      );
    await expect(run(Float32Array.of(1, 0, 1.5, 1, 1, 0))).rejects.toMatchObject({
      code: "BAD_CONFIG",
      message: expect.stringContaining("target 1.5 at [t=1, b=0, f=0] is outside [0, 1]"),
    });
    // Frame (1, 1) is padded (sample 1 has length 1).
    await expect(run(bad)).resolves.toBeDefined();
  });
});
