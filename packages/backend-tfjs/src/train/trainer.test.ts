import {
  assertValid,
  BackendError,
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
const weights = initWeights(model, { seed: 5 });
const batch: TrainBatch = {
  inputs: { x: randomTensor([5, 3, 2], 1), lengths: Int32Array.of(5, 3, 1) },
  target: randomTensor([5, 3, 1], 2),
};
const adam: TrainConfig = { loss: "mse", optimizer: { kind: "adam", lr: 1e-2 }, seed: 9 };

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

describe("trainer", () => {
  test("evaluate before a step equals the step's loss when dropout is off, and evaluate changes nothing", async () => {
    const m = assertValid(sequential("nodrop", [input("x", 2), lstm("l", { units: 6 }), dense("out", { units: 1 })]));
    const trainer = await backend.trainer(m, initWeights(m, { seed: 5 }), adam);
    const { loss: before } = await trainer.evaluate(batch);
    expect((await trainer.evaluate(batch)).loss).toBe(before);
    const { loss } = await trainer.step(batch);
    expect(loss).toBeCloseTo(before, 6);
    expect((await trainer.evaluate(batch)).loss).toBeLessThan(before);
    await trainer.dispose();
  });

  test("dropout masks depend on (seed, step) only: same seed same losses, another seed other losses", async () => {
    const losses = async (seed: number) => {
      const trainer = await backend.trainer(model, weights, { ...adam, seed });
      const out = [];
      for (let i = 0; i < 3; i++) out.push((await trainer.step(batch)).loss);
      await trainer.dispose();
      return out;
    };
    const a = await losses(9);
    expect(await losses(9)).toEqual(a);
    expect(await losses(10)).not.toEqual(a);
  });

  test("restore(weights(), state()) resumes exactly", async () => {
    const full = await backend.trainer(model, weights, adam);
    for (let i = 0; i < 2; i++) await full.step(batch);
    const w2 = full.weights();
    const s2 = full.state();
    for (let i = 0; i < 3; i++) await full.step(batch);
    const resumed = await backend.trainer(model, weights, adam);
    resumed.restore(w2, s2);
    expect(resumed.state().step).toBe(2);
    for (let i = 0; i < 3; i++) await resumed.step(batch);
    expect(resumed.weights()).toEqual(full.weights());
    await full.dispose();
    await resumed.dispose();
  });

  test("setLearningRate(0) leaves the weights as they are", async () => {
    const trainer = await backend.trainer(model, weights, { loss: "mse", optimizer: { kind: "sgd", lr: 0.1 } });
    trainer.setLearningRate(0);
    await trainer.step(batch);
    expect(trainer.weights()).toEqual(weights);
    expect(() => trainer.setLearningRate(-1)).toThrow(/lr must be a finite number >= 0/);
    await trainer.dispose();
    await expect(trainer.step(batch)).rejects.toMatchObject({ code: "DISPOSED" });
  });

  test("a bad config fails when the trainer is made, naming the field", async () => {
    const bad = { ...adam, optimizer: { kind: "adam", lr: 1e-3, beta3: 1 } } as unknown as TrainConfig;
    await expect(backend.trainer(model, weights, bad)).rejects.toThrow(/unknown key optimizer\.beta3/);
    const tbptt = { ...adam, truncateSteps: 2 };
    const bi = assertValid(
      sequential("bi", [
        input("x", 2),
        lstm("l", { units: 2, direction: "bidirectional" }),
        dense("out", { units: 1 }),
      ]),
    );
    await expect(backend.trainer(bi, initWeights(bi, { seed: 1 }), tbptt)).rejects.toThrow(BackendError);
  });

  test("a bad target is refused before any weight changes", async () => {
    const trainer = await backend.trainer(model, weights, adam);
    const wrong = { ...batch, target: randomTensor([5, 3, 2], 3) };
    await expect(trainer.step(wrong)).rejects.toMatchObject({ code: "FEED_SHAPE" });
    expect(trainer.weights()).toEqual(weights);
    await trainer.dispose();
  });
});
