import { loadTrainingFixture } from "@recurrent/conformance";
import { describe, expect, test } from "vitest";
import { clipByGlobalNorm, clipByValue, globalNorm } from "./clip.js";

// Expected numbers come from torch.nn.utils.clip_grad_norm_ / clip_grad_value_ (tooling/optim-fixtures/generate.py).
const fixture = loadTrainingFixture("clipping");

describe.each(fixture.cases)("clipping $name matches torch.nn.utils", (c) => {
  test("pre-clip norm and clipped gradients", () => {
    const keys = Object.keys(c.grads);
    const grads = keys.map((k) => Float32Array.from(c.grads[k]!.data));
    const norm = globalNorm(grads);
    expect(Math.abs(norm - c.totalNorm)).toBeLessThan(1e-5 * c.totalNorm);
    // Norm first, then value: the trainer's documented order.
    if (c.clipNorm !== undefined) clipByGlobalNorm(grads, c.clipNorm, norm);
    if (c.clipValue !== undefined) clipByValue(grads, c.clipValue);
    keys.forEach((k, i) => {
      const expected = c.clipped[k]!.data;
      for (let j = 0; j < expected.length; j++)
        expect(Math.abs(grads[i]![j]! - expected[j]!), `${k}[${j}]`).toBeLessThan(1e-6);
    });
  });
});

describe("clipByGlobalNorm", () => {
  test("returns the factor and leaves gradients under the limit untouched", () => {
    const g = [Float32Array.of(3, 4)];
    expect(clipByGlobalNorm(g, 10)).toBe(1);
    expect(g[0]).toEqual(Float32Array.of(3, 4));
    expect(clipByGlobalNorm(g, 1)).toBeCloseTo(1 / 5, 6);
    expect(Math.hypot(g[0]![0]!, g[0]![1]!)).toBeCloseTo(1, 5);
  });

  test("a NaN gradient gives a NaN norm (the trainer reports it instead of hiding it)", () => {
    expect(globalNorm([Float32Array.of(1, Number.NaN)])).toBeNaN();
  });
});
