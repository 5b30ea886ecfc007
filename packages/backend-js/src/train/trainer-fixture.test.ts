import { readFileSync } from "node:fs";
import { assertValid, dense, input, lstm, sequential, type Tensor, type TrainConfig } from "@recurrent/core";
import { describe, expect, test } from "vitest";
import { createTrainer } from "./trainer.js";

// Whole training steps computed by a plain torch autograd loop (tooling/optim-fixtures/generate.py): a
// hand-written masked LSTM + dense, masked MSE, torch.optim, clip_grad_norm_, and for truncated BPTT chunks of k
// steps with detached carried states. The expected numbers never come from this code.
interface Fixture {
  readonly model: { readonly D: number; readonly H: number; readonly O: number };
  readonly weights: Record<string, Tensor>;
  readonly batches: readonly { readonly x: Tensor; readonly target: Tensor }[];
  readonly cases: readonly {
    readonly name: string;
    readonly config: TrainConfig;
    readonly lengths: readonly number[];
    readonly steps: readonly {
      readonly loss: number;
      readonly gradNorm: number;
      readonly weights: Record<string, Tensor>;
    }[];
  }[];
}
const fx = JSON.parse(readFileSync(new URL("../../test-fixtures/trainer.json", import.meta.url), "utf8")) as Fixture;

const model = assertValid(
  sequential("fixture", [
    input("x", fx.model.D),
    lstm("rnn", { units: fx.model.H }),
    dense("out", { units: fx.model.O }),
  ]),
);
const weights = Object.fromEntries(
  Object.entries(fx.weights).map(([k, t]) => [k, { shape: t.shape, data: Float32Array.from(t.data) }]),
);
const batches = (lengths: readonly number[]) =>
  fx.batches.map((b) => ({
    inputs: {
      x: { shape: b.x.shape, data: Float32Array.from(b.x.data) },
      lengths: Int32Array.from(lengths),
    },
    target: { shape: b.target.shape, data: Float32Array.from(b.target.data) },
  }));

// With truncated BPTT a step's loss is the frame-weighted mean of its chunks' losses and its gradNorm the largest
// chunk norm (the generator computes both from the per-chunk torch numbers it also stores).
describe.each(fx.cases)("trainer step $name matches a torch training loop", ({ config, lengths, steps }) => {
  test("loss, pre-clip gradient norm and weights after every step", async () => {
    const trainer = await createTrainer(model, weights, config);
    for (const [i, expected] of steps.entries()) {
      const result = await trainer.step(batches(lengths)[i]!);
      expect(result.loss, `step ${i + 1} loss`).toBeCloseTo(expected.loss, 5);
      expect(Math.abs(result.gradNorm - expected.gradNorm), `step ${i + 1} gradNorm`).toBeLessThan(
        1e-5 * expected.gradNorm + 1e-7,
      );
      const actual = trainer.weights();
      for (const [key, t] of Object.entries(expected.weights)) {
        const got = actual[key]!.data;
        let worst = 0;
        for (let j = 0; j < t.data.length; j++) worst = Math.max(worst, Math.abs(got[j]! - t.data[j]!));
        expect(worst, `step ${i + 1} ${key}: max abs error`).toBeLessThan(2e-5);
      }
    }
  });
});
