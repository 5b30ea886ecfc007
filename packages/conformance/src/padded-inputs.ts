/**
 * Padded input frames are ignored whatever they hold, NaN included (the rule of PyTorch's packed sequences, and
 * docs/design.md's): a run, the loss and the gradients with NaN, ±Infinity or 1e30 at every padded frame equal
 * the same call with zeros there. The model reads neighbouring frames (frameStack, a bidirectional LSTM), where
 * a padded value would leak first. The reference is the zero-padded call, whose numbers the PyTorch cases check.
 */
import {
  assertValid,
  type Backend,
  dense,
  frameStack,
  initWeights,
  input,
  lstm,
  sequential,
  type Tensor,
} from "@recurrent/core";
import { describe, expect, test } from "vitest";

const model = assertValid(
  sequential("padded-inputs", [
    input("x", 2),
    frameStack("win", { left: 1, right: 1 }),
    lstm("l", { units: 3, direction: "bidirectional" }),
    dense("out", { units: 2 }),
  ]),
);
const weights = initWeights(model, { seed: 5 });
const [T, B, D] = [4, 3, 2];
const lengths = Int32Array.of(4, 2, 0);

/** `x` with `fill` at every padded frame (t ≥ lengths[b]); the valid frames are the same every time. */
function xWith(fill: number): Tensor {
  const data = new Float32Array(T * B * D);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      for (let d = 0; d < D; d++) data[(t * B + b) * D + d] = t < lengths[b]! ? Math.sin(1 + t + 2 * b + 3 * d) : fill;
    }
  }
  return { shape: [T, B, D], data };
}
const target: Tensor = { shape: [T, B, 2], data: Float32Array.from({ length: T * B * 2 }, (_, i) => Math.cos(i)) };

/** Registers the padded-input checks of one backend (gradients only where it has `gradients()`). */
export function describePaddedInputs(backend: Backend): void {
  describe("padded input frames", () => {
    for (const [what, fill] of [
      ["NaN", Number.NaN],
      ["-Infinity", Number.NEGATIVE_INFINITY],
      ["1e30", 1e30],
    ] as const) {
      test(`${what} at every padded input frame changes no output and no final state`, async () => {
        const exe = await backend.compile(model, weights);
        try {
          const fetch = ["out", "l/h", "l/c"];
          const ref = await exe.run({ x: xWith(0), lengths }, { fetch });
          const got = await exe.run({ x: xWith(fill), lengths }, { fetch });
          for (const name of fetch) expect([...got[name]!.data], name).toEqual([...ref[name]!.data]);
        } finally {
          await exe.dispose();
        }
      });

      const name = `${what} at every padded input frame changes neither the loss nor the weight gradients`;
      if (backend.gradients === undefined) {
        test.skip(`${name} (skipped: backend "${backend.name}" has no gradients())`, () => {});
        continue;
      }
      test(name, async () => {
        const ref = await backend.gradients!(
          model,
          weights,
          { inputs: { x: xWith(0), lengths }, target },
          { loss: "mse" },
        );
        const got = await backend.gradients!(
          model,
          weights,
          { inputs: { x: xWith(fill), lengths }, target },
          {
            loss: "mse",
          },
        );
        expect(got.loss).toBe(ref.loss);
        for (const [key, g] of Object.entries(ref.weights))
          expect([...got.weights[key]!.data], key).toEqual([...g.data]);
      });
    }
  });
}
