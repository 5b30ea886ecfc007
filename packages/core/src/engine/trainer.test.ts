import { describe, expect, test } from "vitest";
import type { TrainBatch } from "../backend/backend.js";
import { BackendError } from "../backend/errors.js";
import { dense, gru, input, sequential } from "../ir/builders.js";
import { assertValid } from "../ir/validate.js";
import type { Tensor } from "../tensor/tensor.js";
import type { TrainConfig } from "../train/config.js";
import { initWeights } from "../weights/init.js";
import { createTrainer, type TrainEngine, type TrainStepPlan } from "./trainer.js";

// A graph whose weights are few and whose TBPTT chunks are easy to reason about: x [T, B, 1] → gru 1 → dense 3.
const model = assertValid(sequential("m", [input("x", 1), gru("g", { units: 1 }), dense("out", { units: 3 })]));
const weights = initWeights(model, { seed: 1 });
const keys = Object.keys(weights);

/** An engine that does no maths: it records what core asks of it and keeps what core writes. */
function fakeEngine(slotCount: number) {
  const plans: TrainStepPlan[] = [];
  const log: string[] = [];
  let stored = Object.fromEntries(keys.map((k) => [k, weights[k]!]));
  let slots = new Map(
    keys.map((k) => [k, Array.from({ length: slotCount }, () => new Float32Array(weights[k]!.data.length))]),
  );
  let fail = false;
  let gate: Promise<void> = Promise.resolve();
  const engine: TrainEngine = {
    async trainStep(plan) {
      await gate;
      if (fail) throw new BackendError("FEED_SHAPE", "engine refused the batch");
      plans.push(plan);
      log.push(`step ${plan.step}`);
      for (const s of slots.values()) for (const b of s) b.fill(plan.step);
      const states = { "g/h": { shape: [1, 2, 1], data: Float32Array.of(plan.step, plan.step) } };
      return { loss: 0.5, gradNorm: plan.step, ...(plan.carryStates ? { states } : {}) };
    },
    carry(inputs) {
      log.push(`carry from ${(inputs["g/h"] as Tensor | undefined)?.data.join(",") ?? "zeros"}`);
      return { "g/h": { shape: [1, 2, 1], data: Float32Array.of(-1, -1) } };
    },
    evaluate: () => 0.25,
    readWeights: () => stored,
    writeWeights(w) {
      log.push("writeWeights");
      stored = Object.fromEntries(w);
    },
    readSlots: () => new Map([...slots].map(([k, s]) => [k, s.map((b) => b.slice())])),
    writeSlots(s) {
      log.push("writeSlots");
      slots = new Map([...s].map(([k, b]) => [k, b.map((x) => x.slice())]));
    },
    dispose() {
      log.push("dispose");
    },
  };
  return {
    engine,
    plans,
    log,
    failNext: (on: boolean) => {
      fail = on;
    },
    hold: () => {
      let open: () => void = () => {};
      gate = new Promise((resolve) => {
        open = resolve;
      });
      return open;
    },
  };
}

const x = (T: number): Tensor => ({ shape: [T, 2, 1], data: new Float32Array(T * 2).fill(0.5) });
const mseBatch = (T: number): TrainBatch => ({
  inputs: { x: x(T), lengths: Int32Array.of(T, T) },
  target: { shape: [T, 2, 3], data: new Float32Array(T * 6) },
});
const adam: TrainConfig = { loss: "mse", optimizer: { kind: "adam", lr: 0.1 } };

describe("createTrainer (core's Trainer over an engine)", () => {
  test("names slots <prefix>/<key>, counts updates, hands the engine lr and the 1-based step", async () => {
    const fake = fakeEngine(2);
    const trainer = await createTrainer(model, weights, adam, () => fake.engine);
    await trainer.step(mseBatch(3));
    trainer.setLearningRate(0.05);
    await trainer.step(mseBatch(3));
    expect(fake.plans.map((p) => [p.step, p.lr, p.carryStates])).toEqual([
      [1, 0.1, false],
      [2, 0.05, false],
    ]);
    const state = trainer.state();
    expect(state.step).toBe(2);
    expect(Object.keys(state.slots).sort()).toEqual(keys.flatMap((k) => [`adam.m/${k}`, `adam.v/${k}`]).sort());
    expect(state.slots["adam.v/out/bias"]).toEqual({ shape: [3], data: Float32Array.of(2, 2, 2) });
  });

  test("SGD without momentum keeps no slots; a failed engine step does not advance the count", async () => {
    const fake = fakeEngine(0);
    const trainer = await createTrainer(
      model,
      weights,
      { loss: "mse", optimizer: { kind: "sgd", lr: 1 } },
      () => fake.engine,
    );
    fake.failNext(true);
    await expect(trainer.step(mseBatch(2))).rejects.toThrow("engine refused the batch");
    fake.failNext(false);
    await trainer.step(mseBatch(2));
    expect(trainer.state()).toEqual({ step: 1, slots: {} });
  });

  test("truncated BPTT: zero-weight chunks carry the states forward without an update", async () => {
    const fake = fakeEngine(2);
    const config: TrainConfig = {
      loss: { kind: "softmaxCrossEntropy", classWeights: [0, 1, 1] },
      optimizer: { kind: "adam", lr: 0.1 },
      truncateSteps: 2,
    };
    const trainer = await createTrainer(model, weights, config, () => fake.engine);
    // Steps 2-3 (the second chunk) are all class 0, which weighs 0.
    const labels = Int32Array.from({ length: 12 }, (_, i) => (i >= 4 && i < 8 ? 0 : 1));
    const result = await trainer.step({
      inputs: { x: x(6), lengths: Int32Array.of(6, 6) },
      target: { shape: [6, 2], data: labels },
    });
    expect(fake.log).toEqual(["step 1", "carry from 1,1", "step 2"]);
    expect(fake.plans[1]!.batch.inputs["g/h"]).toEqual({ shape: [1, 2, 1], data: Float32Array.of(-1, -1) });
    expect(result).toEqual({ loss: 0.5, gradNorm: 2 });
  });

  test("restore checks everything before anything changes", async () => {
    const fake = fakeEngine(2);
    const trainer = await createTrainer(model, weights, adam, () => fake.engine);
    await trainer.step(mseBatch(2));
    const good = trainer.state();
    const nan = Float32Array.from(weights["out/weight"]!.data);
    nan[1] = Number.NaN;
    const bad = [
      [{ ...weights, "out/weight": { shape: [3, 1], data: nan } }, good, "NON_FINITE"],
      [{ ...weights, extra: weights["out/bias"]! }, good, "WEIGHTS"],
      [weights, { step: 1, slots: { ...good.slots, "adam.m/nope": good.slots["adam.m/out/bias"]! } }, "BAD_CONFIG"],
    ] as const;
    for (const [w, s, code] of bad) expect(() => trainer.restore(w, s)).toThrow(expect.objectContaining({ code }));
    expect(fake.log).toEqual(["step 1"]);
    trainer.restore(weights, { ...good, step: 7 });
    expect(fake.log).toEqual(["step 1", "writeSlots", "writeWeights"]);
    expect(trainer.state().step).toBe(7);
  });

  test("refuses NaN starting weights and a bad learning rate, naming them", async () => {
    const nan = Float32Array.from(weights["g/weight_hh"]!.data);
    nan[0] = Number.NaN;
    await expect(
      createTrainer(
        model,
        { ...weights, "g/weight_hh": { shape: [3, 1], data: nan } },
        adam,
        () => fakeEngine(2).engine,
      ),
    ).rejects.toThrow('trainer: weight "g/weight_hh" has a non-finite value NaN at flat index 0 of [3, 1]');
    const trainer = await createTrainer(model, weights, adam, () => fakeEngine(2).engine);
    expect(() => trainer.setLearningRate(Number.NaN)).toThrow(
      "setLearningRate: lr must be a finite number >= 0, got NaN",
    );
  });

  test("dispose() waits for the step in flight, then releases the engine; later calls say DISPOSED", async () => {
    const fake = fakeEngine(2);
    const trainer = await createTrainer(model, weights, adam, () => fake.engine);
    const open = fake.hold();
    const step = trainer.step(mseBatch(2));
    const disposed = trainer.dispose();
    await expect(trainer.step(mseBatch(2))).rejects.toThrow("trainer.step(): the trainer was disposed");
    expect(() => trainer.weights()).toThrow(expect.objectContaining({ code: "DISPOSED" }));
    open();
    expect((await step).loss).toBe(0.5);
    await disposed;
    expect(fake.log).toEqual(["step 1", "dispose"]);
  });
});
