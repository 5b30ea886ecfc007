/**
 * Padded target steps never reach the loss or the gradients, whatever they hold: the loss masks by lengths, and
 * a NaN or a huge value at a padded step must not leak through a mask that multiplies (NaN · 0 = NaN). The
 * expected numbers are closed form: a dense 1→1 layer with weight 0.5 and bias 0 on x = [1, (pad)], target
 * [0, (pad)], gives y₀ = 0.5, loss (y₀ − 0)² = 0.25, d loss/d weight = 2·y₀·x₀ = 1 and d loss/d bias = 2·y₀ = 1.
 */
import { assertValid, type Backend, dense, input, sequential, type Weights } from "@recurrent/core";
import { describe, expect, test } from "vitest";

const model = assertValid(sequential("padding-rules", [input("x", 1), dense("out", { units: 1 })]));
const weights: Weights = {
  "out/weight": { shape: [1, 1], data: Float32Array.of(0.5) },
  "out/bias": { shape: [1], data: Float32Array.of(0) },
};

/** Registers the padding checks of one backend (skipped with the reason when it has no `gradients()`). */
export function describePaddingRules(backend: Backend): void {
  describe("padding rules", () => {
    for (const [what, padded] of [
      ["NaN", Number.NaN],
      ["1e30", 1e30],
      ["Infinity", Number.POSITIVE_INFINITY],
    ] as const) {
      const name = `a ${what} target at a padded step changes neither the loss nor the gradients`;
      if (backend.gradients === undefined) {
        test.skip(`${name} (skipped: backend "${backend.name}" has no gradients())`, () => {});
        continue;
      }
      test(name, async () => {
        const batch = {
          inputs: { x: { shape: [2, 1, 1], data: Float32Array.of(1, 0) }, lengths: Int32Array.of(1) },
          target: { shape: [2, 1, 1], data: Float32Array.of(0, padded) },
        };
        const g = await backend.gradients!(model, weights, batch, { loss: "mse" });
        expect(g.loss).toBeCloseTo(0.25, 6);
        expect(g.weights["out/weight"]!.data[0]).toBeCloseTo(1, 6);
        expect(g.weights["out/bias"]!.data[0]).toBeCloseTo(1, 6);
      });
    }
  });
}
