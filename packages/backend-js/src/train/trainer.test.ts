import {
  assertValid,
  dense,
  dropout,
  initWeights,
  input,
  lstm,
  rnn,
  sequential,
  type TrainBatch,
  type TrainConfig,
  tensor,
  type Weights,
} from "@recurrent/core";
import { describe, expect, test } from "vitest";
import { createTrainer } from "./trainer.js";

const T = 5;
const B = 3;
const model = assertValid(
  sequential("t", [input("x", 2), lstm("l", { units: 4 }), dropout("drop", 0.5), dense("out", { units: 3 })]),
);
const noDropout = assertValid(sequential("t", [input("x", 2), lstm("l", { units: 4 }), dense("out", { units: 3 })]));
const w0 = initWeights(model, { seed: 3 });
const sgd: TrainConfig = { loss: "mse", optimizer: { kind: "sgd", lr: 0.1 } };
const adam: TrainConfig = { loss: "mse", optimizer: { kind: "adam", lr: 0.01 }, seed: 7 };

/** A deterministic batch: values from a fixed formula, lengths [5, 3, 1]. */
function batchOf(k: number, t = T): TrainBatch {
  const x = tensor(
    [t, B, 2],
    Array.from({ length: t * B * 2 }, (_, i) => Math.sin(0.7 * i + k)),
  );
  const target = tensor(
    [t, B, 3],
    Array.from({ length: t * B * 3 }, (_, i) => Math.cos(0.3 * i - k)),
  );
  return { inputs: { x, lengths: Int32Array.of(t, Math.min(3, t), 1) }, target };
}

function expectSameWeights(a: Weights, b: Weights): void {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  for (const key of Object.keys(a)) expect(a[key]!.data, key).toEqual(b[key]!.data);
}

function changed(a: Weights, b: Weights): boolean {
  return Object.keys(a).some((k) => a[k]!.data.some((v, i) => v !== b[k]!.data[i]));
}

describe("Trainer.step", () => {
  test("returns a finite loss and gradient norm and changes the weights", async () => {
    const trainer = await createTrainer(model, w0, adam);
    const { loss, gradNorm } = await trainer.step(batchOf(0));
    expect(loss).toBeGreaterThan(0);
    expect(gradNorm).toBeGreaterThan(0);
    expect(changed(trainer.weights(), w0)).toBe(true);
    expect(trainer.state().step).toBe(1);
  });

  test("a NaN in a feed is refused (NON_FINITE naming the feed and position) before anything changes", async () => {
    const trainer = await createTrainer(noDropout, w0, { ...sgd, truncateSteps: 2 });
    const bad = batchOf(0);
    (bad.inputs.x as { data: Float32Array }).data[4 * B * 2 + 1] = Number.NaN; // the last chunk
    await expect(trainer.step(bad)).rejects.toThrow(/feed "x": value NaN at \[4, 0, 1\] is not finite/);
    await expect(trainer.step(bad)).rejects.toMatchObject({ code: "NON_FINITE" });
    expectSameWeights(trainer.weights(), w0);
    expect(trainer.state().step).toBe(0);
  });

  test("a non-finite target is refused with NON_FINITE naming the target", async () => {
    const trainer = await createTrainer(noDropout, w0, sgd);
    const bad = batchOf(0);
    bad.target.data[2] = Number.POSITIVE_INFINITY;
    await expect(trainer.step(bad)).rejects.toThrow(/target: value Infinity at \[0, 0, 2\] is not finite/);
    await expect(trainer.evaluate(bad)).rejects.toMatchObject({ code: "NON_FINITE" });
  });

  test("a target that does not match the output is refused with FEED_SHAPE", async () => {
    const trainer = await createTrainer(noDropout, w0, sgd);
    const b = batchOf(0);
    const wrong = { ...b, target: tensor([T, B, 2]) };
    await expect(trainer.step(wrong)).rejects.toThrow(
      /target: expected \[5, 3, 3\] for loss mse on output "out", got \[5, 3, 2\]/,
    );
    await expect(trainer.step(wrong)).rejects.toMatchObject({ code: "FEED_SHAPE" });
    const labels = { ...b, target: { shape: [T, B], data: new Int32Array(T * B) } };
    await expect(trainer.step(labels)).rejects.toThrow(
      /expected a float32 tensor \[5, 3, 3\].*got Int32Array \[5, 3\]/,
    );
  });

  test("cross-entropy wants int labels in range", async () => {
    const trainer = await createTrainer(noDropout, w0, { ...sgd, loss: "softmaxCrossEntropy" });
    const b = batchOf(0);
    await expect(trainer.step(b)).rejects.toThrow(/expected int32 labels \[5, 3\]/);
    const labels = new Int32Array(T * B).fill(1);
    labels[7] = 3;
    await expect(trainer.step({ ...b, target: { shape: [T, B], data: labels } })).rejects.toThrow(
      /label 3 at \[2, 1\] is outside 0..2/,
    );
    labels[7] = 2;
    const { loss } = await trainer.step({ ...b, target: { shape: [T, B], data: labels } });
    expect(loss).toBeGreaterThan(0);
  });

  test("truncated BPTT checks lengths against T up front (BAD_LENGTHS)", async () => {
    const trainer = await createTrainer(noDropout, w0, { ...sgd, truncateSteps: 2 });
    const b = batchOf(0);
    await expect(trainer.step({ ...b, inputs: { ...b.inputs, lengths: Int32Array.of(6, 1, 1) } })).rejects.toThrow(
      /length 6 of sample 0 is outside 0..5/,
    );
    await expect(
      trainer.step({ ...b, inputs: { ...b.inputs, lengths: Int32Array.of(0, 0, 0) } }),
    ).rejects.toMatchObject({ code: "BAD_LENGTHS" });
    expectSameWeights(trainer.weights(), w0);
  });

  test("truncated BPTT with a chunk of at least T steps is full BPTT", async () => {
    const full = await createTrainer(noDropout, w0, adam);
    const chunked = await createTrainer(noDropout, w0, { ...adam, truncateSteps: T });
    for (let k = 0; k < 3; k++) {
      const a = await full.step(batchOf(k));
      const b = await chunked.step(batchOf(k));
      expect(b.loss).toBe(a.loss);
    }
    expectSameWeights(chunked.weights(), full.weights());
  });

  test("a chunk whose labels all weigh 0 makes no update but still carries the states on", async () => {
    const ce: TrainConfig = {
      loss: { kind: "softmaxCrossEntropy", classWeights: [0, 1, 2] },
      optimizer: { kind: "sgd", lr: 0.1 },
    };
    const b = batchOf(0, 4);
    // Steps 0-1 (the first chunk) are all class 0, steps 2-3 classes 1 and 2.
    const labels = Int32Array.from({ length: 4 * B }, (_, i) => (i < 2 * B ? 0 : 1 + (i % 2)));
    const batch: TrainBatch = {
      inputs: { ...b.inputs, lengths: Int32Array.of(4, 4, 4) },
      target: { shape: [4, B], data: labels },
    };
    const full = await createTrainer(noDropout, w0, ce);
    const chunked = await createTrainer(noDropout, w0, { ...ce, truncateSteps: 2 });
    const { loss } = await chunked.step(batch);
    expect(chunked.state().step).toBe(1);
    // The first chunk weighs nothing, so the step's loss is the second chunk's before any update, which equals the
    // whole sequence's loss only if the second chunk started from the first one's final states.
    expect(loss).toBeCloseTo((await full.evaluate(batch)).loss, 6);
  });

  test("one update per chunk: ceil(T / k) optimizer steps per batch", async () => {
    const trainer = await createTrainer(noDropout, w0, { ...adam, truncateSteps: 2 });
    await trainer.step(batchOf(0));
    expect(trainer.state().step).toBe(3);
  });

  test("clipValue bounds every element of the update (SGD: |Δw| <= lr · clipValue)", async () => {
    const trainer = await createTrainer(noDropout, w0, { ...sgd, clipValue: 1e-3 });
    const { gradNorm } = await trainer.step(batchOf(0));
    expect(gradNorm).toBeGreaterThan(1e-2); // so the clip did bite
    const w1 = trainer.weights();
    let largest = 0;
    for (const k of Object.keys(w0)) {
      w0[k]!.data.forEach((v, i) => {
        largest = Math.max(largest, Math.abs(w1[k]!.data[i]! - v));
      });
    }
    // Up to one float32 ulp of a weight (~6e-8) on top of the clipped step.
    expect(largest).toBeLessThanOrEqual(0.1 * 1e-3 + 1e-7);
    expect(largest).toBeGreaterThan(0.1 * 1e-3 * 0.99);
  });
});

describe("dropout and determinism", () => {
  test("step trains with dropout (seeded); evaluate runs without it", async () => {
    const a = await createTrainer(model, w0, adam);
    const evaluated = (await a.evaluate(batchOf(0))).loss;
    expect((await a.evaluate(batchOf(0))).loss).toBe(evaluated);
    const plain = await createTrainer(noDropout, w0, adam);
    expect((await plain.evaluate(batchOf(0))).loss).toBe(evaluated);
    const stepped = (await a.step(batchOf(0))).loss;
    expect(stepped).not.toBe(evaluated);
  });

  test("the same seed gives the same weights, another seed different ones", async () => {
    const run = async (seed: number) => {
      const trainer = await createTrainer(model, w0, { ...adam, seed });
      for (let k = 0; k < 3; k++) await trainer.step(batchOf(k));
      return trainer.weights();
    };
    expectSameWeights(await run(7), await run(7));
    expect(changed(await run(7), await run(8))).toBe(true);
  });
});

// Restore, learning-rate refusals, dispose and evaluation are conformance's "trainer behaviour" group.
describe("weights, state and restore", () => {
  test("weights() returns copies", async () => {
    const trainer = await createTrainer(model, w0, adam);
    trainer.weights()["out/bias"]!.data.fill(42);
    expect(trainer.weights()["out/bias"]!.data[0]).not.toBe(42);
  });

  test("the trainer starts from a copy of the weights it was given", async () => {
    const mine = initWeights(model, { seed: 3 });
    const trainer = await createTrainer(model, mine, adam);
    await trainer.step(batchOf(0));
    expectSameWeights(mine, w0);
  });

  test("restore refuses misshaped weights (WEIGHTS) and leaves the trainer as it was", async () => {
    const trainer = await createTrainer(model, w0, adam);
    await trainer.step(batchOf(0));
    const before = { weights: trainer.weights(), state: trainer.state() };
    const bad = { ...before.weights, "out/bias": tensor([4]) };
    expect(() => trainer.restore(bad, { step: 0, slots: {} })).toThrow(
      /restore: weight "out\/bias" has shape \[4\] \(4 values\), expected \[3\]/,
    );
    expect(() => trainer.restore(bad, before.state)).toThrow(expect.objectContaining({ code: "WEIGHTS" }));
    expect(() => trainer.restore(before.weights, { step: 1, slots: {} })).toThrow(
      /slot "adam.m\/l\/weight_ih" is missing/,
    );
    expect(() => trainer.restore({ ...before.weights, "x/w": tensor([1]) }, before.state)).toThrow(
      /restore: unknown weight\(s\) "x\/w"/,
    );
    expectSameWeights(trainer.weights(), before.weights);
    expect(trainer.state()).toEqual(before.state);
  });
});

describe("setLearningRate and dispose", () => {
  test("SGD's update scales with the learning rate; 0 freezes the weights", async () => {
    const delta = async (lr: number) => {
      const trainer = await createTrainer(noDropout, w0, sgd);
      trainer.setLearningRate(lr);
      await trainer.step(batchOf(0));
      const w = trainer.weights()["l/weight_hh"]!.data;
      return Array.from(w, (v, i) => v - w0["l/weight_hh"]!.data[i]!);
    };
    const small = await delta(0.05);
    const large = await delta(0.1);
    large.forEach((d, i) => {
      expect(d).toBeCloseTo(2 * small[i]!, 6);
    });
    expect(Math.max(...large.map(Math.abs))).toBeGreaterThan(1e-4);
    expect((await delta(0)).every((d) => d === 0)).toBe(true);
  });
});

describe("createTrainer", () => {
  test("validates the config against the model", async () => {
    const bi = assertValid(
      sequential("bi", [
        input("x", 2),
        rnn("b", { cell: "lstm", units: 2, direction: "bidirectional" }),
        dense("o", { units: 1 }),
      ]),
    );
    await expect(createTrainer(bi, initWeights(bi, { seed: 1 }), { ...sgd, truncateSteps: 3 })).rejects.toThrow(
      /truncateSteps cannot apply to this model: node "b" \(rnn\) is bidirectional/,
    );
    await expect(createTrainer(model, w0, { ...sgd, output: "l" })).rejects.toMatchObject({ code: "BAD_CONFIG" });
  });
});
