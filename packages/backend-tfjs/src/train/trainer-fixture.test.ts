import { assertValid, dense, input, lstm, sequential, type Tensor, type TrainConfig } from "@recurrent/core";
import { describe, expect, test } from "vitest";
import { optimFixture, toTensor, worstError } from "../../test/helpers.js";
import { tfjsBackend } from "../index.js";

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
const fx = optimFixture<Fixture>("trainer");

const model = assertValid(
  sequential("fixture", [
    input("x", fx.model.D),
    lstm("rnn", { units: fx.model.H }),
    dense("out", { units: fx.model.O }),
  ]),
);
const weights = Object.fromEntries(Object.entries(fx.weights).map(([k, t]) => [k, toTensor(t)]));
const batch = (i: number, lengths: readonly number[]) => ({
  inputs: { x: toTensor(fx.batches[i]!.x), lengths: Int32Array.from(lengths) },
  target: toTensor(fx.batches[i]!.target),
});

// With truncated BPTT a step's loss is the frame-weighted mean of its chunks' losses and its gradNorm the largest
// chunk norm. Tolerances: float32 forward/backward through 3 steps of Adam, as backend-js's test allows.
describe.each(fx.cases)("trainer step $name matches a torch training loop", ({ config, lengths, steps }) => {
  test("loss, pre-clip gradient norm and weights after every step", async () => {
    const trainer = await tfjsBackend({ backend: "cpu" }).trainer!(model, weights, config);
    for (const [i, expected] of steps.entries()) {
      const result = await trainer.step(batch(i, lengths));
      expect(result.loss, `step ${i + 1} loss`).toBeCloseTo(expected.loss, 5);
      expect(Math.abs(result.gradNorm - expected.gradNorm), `step ${i + 1} gradNorm`).toBeLessThan(
        1e-5 * expected.gradNorm + 1e-7,
      );
      const actual = trainer.weights();
      for (const [key, t] of Object.entries(expected.weights)) {
        expect(worstError(actual[key]!.data, t.data, 2e-5, 0), `step ${i + 1} ${key}`).toBeLessThanOrEqual(1);
      }
    }
    await trainer.dispose();
  });
});
