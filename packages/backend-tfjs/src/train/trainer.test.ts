import {
  assertValid,
  dense,
  dropout,
  fit,
  initWeights,
  input,
  lstm,
  sequenceDataset,
  sequential,
  type TrainBatch,
  type TrainConfig,
} from "@recurrent/core";
import { describe, expect, test } from "vitest";
import { randomTensor } from "../../test/helpers.js";
import { tfjsBackend } from "../index.js";

const backend = tfjsBackend({ backend: "cpu" });
const model = assertValid(
  sequential("t", [input("x", 2), lstm("l", { units: 6 }), dropout("drop", 0.25), dense("out", { units: 1 })]),
);
const _weights = initWeights(model, { seed: 5 });
const _batch: TrainBatch = {
  inputs: { x: randomTensor([5, 3, 2], 1), lengths: Int32Array.of(5, 3, 1) },
  target: randomTensor([5, 3, 1], 2),
};
const _adam: TrainConfig = { loss: "mse", optimizer: { kind: "adam", lr: 1e-2 }, seed: 9 };

describe("fit drives the tfjs trainer", () => {
  test("learns a running sum of its input (final loss well under the first epoch's)", async () => {
    // Target: the cumulative sum of x[:, 0] over time, which a recurrent state can track and no per-frame map can.
    const examples = Array.from({ length: 24 }, (_, i) => {
      const L = 3 + (i % 5);
      const x = randomTensor([L, 2], 100 + i).data;
      const y = new Float32Array(L);
      let sum = 0;
      for (let t = 0; t < L; t++) y[t] = sum += 0.5 * x[t * 2]!;
      return { x, y };
    });
    const data = sequenceDataset(examples, { input: "x", features: 2 });
    const m = assertValid(sequential("sum", [input("x", 2), lstm("l", { units: 8 }), dense("out", { units: 1 })]));
    const trainer = await backend.trainer(m, initWeights(m, { seed: 1 }), {
      loss: "mse",
      optimizer: { kind: "adam", lr: 2e-2 },
      clipNorm: 1,
    });
    const history = await fit(trainer, data, { epochs: 30, batchSize: 8, seed: 1 });
    const losses = history.epochs.map((e) => e.trainLoss);
    expect(losses.at(-1)!).toBeLessThan(0.2 * losses[0]!);
    await trainer.dispose();
  });
});

// The trainer's behaviour (evaluation, dropout determinism, restore, learning rate, bad configs and targets,
// padded inputs, dispose) is checked by conformance's "trainer behaviour" group, once for every backend.
