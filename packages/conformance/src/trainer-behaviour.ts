/**
 * What every Trainer does, whatever the backend (core's Trainer over the backend's train engine): evaluation
 * changes nothing, dropout depends on (seed, update) only, restore resumes exactly (Adam, dropout, truncated
 * BPTT), learning-rate changes and refusals, bad configs and targets refused before any weight changes, padded
 * input frames ignored (NaN included), and a disposed trainer refusing every call. These were copied into each
 * training backend's tests before; the references are the backend's own earlier results and closed forms.
 */
import {
  assertValid,
  type Backend,
  BackendError,
  dense,
  dropout,
  initWeights,
  input,
  lstm,
  sequential,
  type Tensor,
  type TrainBatch,
  type TrainConfig,
} from "@recurrent/core";
import { describe, expect, test } from "vitest";

const model = assertValid(
  sequential("t", [input("x", 2), lstm("l", { units: 6 }), dropout("drop", 0.25), dense("out", { units: 1 })]),
);
const noDropout = assertValid(
  sequential("nodrop", [input("x", 2), lstm("l", { units: 6 }), dense("out", { units: 1 })]),
);
const weights = initWeights(model, { seed: 5 });
const wave = (shape: number[], k: number): Tensor => ({
  shape,
  data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(0.7 * i + k)),
});
const batch: TrainBatch = {
  inputs: { x: wave([5, 3, 2], 1), lengths: Int32Array.of(5, 3, 1) },
  target: wave([5, 3, 1], 2),
};
const adam: TrainConfig = { loss: "mse", optimizer: { kind: "adam", lr: 1e-2 }, seed: 9 };

/** Registers the trainer checks of one backend (skipped with the reason when it has no `trainer()`). */
export function describeTrainerBehaviour(backend: Backend): void {
  describe("trainer behaviour", () => {
    if (backend.trainer === undefined) {
      test.skip(`(skipped: backend "${backend.name}" has no trainer())`, () => {});
      return;
    }
    const make = backend.trainer.bind(backend);

    test("evaluate equals the first step's loss without dropout, and changes nothing", async () => {
      const trainer = await make(noDropout, initWeights(noDropout, { seed: 5 }), adam);
      const { loss: before } = await trainer.evaluate(batch);
      expect((await trainer.evaluate(batch)).loss).toBe(before);
      const { loss } = await trainer.step(batch);
      expect(loss).toBeCloseTo(before, 6);
      expect((await trainer.evaluate(batch)).loss).toBeLessThan(before);
      await trainer.dispose();
    });

    test("dropout masks depend on (seed, update) only: same seed same losses, another seed other losses", async () => {
      const losses = async (seed: number) => {
        const trainer = await make(model, weights, { ...adam, seed });
        const out = [];
        for (let i = 0; i < 3; i++) out.push((await trainer.step(batch)).loss);
        await trainer.dispose();
        return out;
      };
      const a = await losses(9);
      expect(await losses(9)).toEqual(a);
      expect(await losses(10)).not.toEqual(a);
    });

    for (const [what, config] of [
      ["Adam, dropout", adam],
      ["Adam, dropout, truncated BPTT", { ...adam, truncateSteps: 2 }],
    ] as const) {
      test(`restore(weights(), state()) into a fresh trainer resumes exactly (${what})`, async () => {
        const full = await make(model, weights, config);
        for (let i = 0; i < 2; i++) await full.step(batch);
        const w2 = full.weights();
        const s2 = full.state();
        for (let i = 0; i < 3; i++) await full.step(batch);
        const resumed = await make(model, weights, config);
        resumed.restore(w2, s2);
        expect(resumed.state().step).toBe(s2.step);
        for (let i = 0; i < 3; i++) await resumed.step(batch);
        expect(resumed.weights()).toEqual(full.weights());
        expect(resumed.state()).toEqual(full.state());
        await Promise.all([full.dispose(), resumed.dispose()]);
      });
    }

    test("setLearningRate(0) freezes the weights; a negative or NaN rate is refused", async () => {
      const trainer = await make(model, weights, { loss: "mse", optimizer: { kind: "sgd", lr: 0.1 } });
      trainer.setLearningRate(0);
      await trainer.step(batch);
      expect(trainer.weights()).toEqual(weights);
      expect(() => trainer.setLearningRate(-1)).toThrow("setLearningRate: lr must be a finite number >= 0, got -1");
      expect(() => trainer.setLearningRate(Number.NaN)).toThrow(expect.objectContaining({ code: "BAD_CONFIG" }));
      await trainer.dispose();
    });

    test("a bad config fails when the trainer is made, naming the field", async () => {
      const bad = { ...adam, optimizer: { kind: "adam", lr: 1e-3, beta3: 1 } } as unknown as TrainConfig;
      await expect(make(model, weights, bad)).rejects.toThrow(/unknown key optimizer\.beta3/);
      const bi = assertValid(
        sequential("bi", [
          input("x", 2),
          lstm("l", { units: 2, direction: "bidirectional" }),
          dense("out", { units: 1 }),
        ]),
      );
      await expect(make(bi, initWeights(bi, { seed: 1 }), { ...adam, truncateSteps: 2 })).rejects.toThrow(BackendError);
    });

    test("a bad target or a NaN at a valid input frame is refused before any weight changes", async () => {
      const trainer = await make(model, weights, adam);
      await expect(trainer.step({ ...batch, target: wave([5, 3, 2], 3) })).rejects.toMatchObject({
        code: "FEED_SHAPE",
      });
      const x = wave([5, 3, 2], 1);
      x.data[2 * 3 * 2 + 1 * 2] = Number.NaN; // t = 2, b = 1: valid (sample 1 has 3 steps)
      await expect(trainer.step({ ...batch, inputs: { ...batch.inputs, x } })).rejects.toMatchObject({
        code: "NON_FINITE",
      });
      expect(trainer.weights()).toEqual(weights);
      await trainer.dispose();
    });

    test("NaN at padded input frames trains exactly as zeros there", async () => {
      const zeros = wave([5, 3, 2], 1);
      const nans = wave([5, 3, 2], 1);
      for (const [b, L] of [
        [1, 3],
        [2, 1],
      ] as const) {
        for (let t = L; t < 5; t++) {
          zeros.data.fill(0, (t * 3 + b) * 2, (t * 3 + b + 1) * 2);
          nans.data.fill(Number.NaN, (t * 3 + b) * 2, (t * 3 + b + 1) * 2);
        }
      }
      const run = async (x: Tensor) => {
        const trainer = await make(model, weights, { ...adam, truncateSteps: 2 });
        const r = await trainer.step({ ...batch, inputs: { ...batch.inputs, x } });
        const w = trainer.weights();
        await trainer.dispose();
        return { r, w };
      };
      expect(await run(nans)).toEqual(await run(zeros));
    });

    test("a disposed trainer refuses every call with DISPOSED", async () => {
      const trainer = await make(model, weights, adam);
      await trainer.dispose();
      await expect(trainer.step(batch)).rejects.toMatchObject({ code: "DISPOSED" });
      await expect(trainer.evaluate(batch)).rejects.toMatchObject({ code: "DISPOSED" });
      for (const call of [() => trainer.weights(), () => trainer.state(), () => trainer.setLearningRate(1)]) {
        expect(call).toThrow(expect.objectContaining({ code: "DISPOSED" }));
      }
      expect(() => trainer.restore(weights, { step: 0, slots: {} })).toThrow(
        expect.objectContaining({ code: "DISPOSED" }),
      );
      await trainer.dispose();
    });
  });
}
