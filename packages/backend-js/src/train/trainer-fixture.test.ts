import { loadTrainingFixture, toTensor, trainerFixtureBatch, trainerFixtureModel } from "@recurrent/conformance";
import { describe, expect, test } from "vitest";
import { createTrainer } from "./trainer.js";

// Whole training steps computed by a plain torch autograd loop (tooling/optim-fixtures/generate.py): a
// hand-written masked LSTM + dense, masked MSE, torch.optim, clip_grad_norm_, and for truncated BPTT chunks of k
// steps with detached carried states. The expected numbers never come from this code.
const fx = loadTrainingFixture("trainer");
const model = trainerFixtureModel(fx);
const weights = Object.fromEntries(Object.entries(fx.weights).map(([k, t]) => [k, toTensor(t)]));

// With truncated BPTT a step's loss is the frame-weighted mean of its chunks' losses and its gradNorm the largest
// chunk norm (the generator computes both from the per-chunk torch numbers it also stores).
describe.each(fx.cases)("trainer step $name matches a torch training loop", ({ config, lengths, steps }) => {
  test("loss, pre-clip gradient norm and weights after every step", async () => {
    const trainer = await createTrainer(model, weights, config);
    for (const [i, expected] of steps.entries()) {
      const result = await trainer.step(trainerFixtureBatch(fx, i, lengths));
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
