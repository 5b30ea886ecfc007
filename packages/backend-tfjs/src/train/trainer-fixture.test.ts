import { loadTrainingFixture, toTensor, trainerFixtureBatch, trainerFixtureModel } from "@recurrent/conformance";
import { describe, expect, test } from "vitest";
import { worstError } from "../../test/helpers.js";
import { tfjsBackend } from "../index.js";

// Whole training steps computed by a plain torch autograd loop (tooling/optim-fixtures/generate.py): a
// hand-written masked LSTM + dense, masked MSE, torch.optim, clip_grad_norm_, and for truncated BPTT chunks of k
// steps with detached carried states. The expected numbers never come from this code.
const fx = loadTrainingFixture("trainer");
const model = trainerFixtureModel(fx);
const weights = Object.fromEntries(Object.entries(fx.weights).map(([k, t]) => [k, toTensor(t)]));

// With truncated BPTT a step's loss is the frame-weighted mean of its chunks' losses and its gradNorm the largest
// chunk norm. Tolerances: float32 forward/backward through 3 steps of Adam, as backend-js's test allows.
describe.each(fx.cases)("trainer step $name matches a torch training loop", ({ config, lengths, steps }) => {
  test("loss, pre-clip gradient norm and weights after every step", async () => {
    const trainer = await tfjsBackend({ backend: "cpu" }).trainer(model, weights, config);
    for (const [i, expected] of steps.entries()) {
      const result = await trainer.step(trainerFixtureBatch(fx, i, lengths));
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
