import {
  assertValid,
  dense,
  dropout,
  initWeights,
  input,
  lstm,
  sequential,
  stream,
  type TrainBatch,
} from "@recurrent/core";
import * as tf from "@tensorflow/tfjs";
import { expect, test } from "vitest";
import { randomTensor } from "../test/helpers.js";
import { tfjsBackend } from "./index.js";

// Every intermediate tensor lives in a tf.tidy scope or is disposed explicitly: the count of live tensors must
// not grow with the number of steps or frames.
const model = assertValid(
  sequential("leaky?", [input("x", 3), lstm("l", { units: 4 }), dropout("drop", 0.2), dense("out", { units: 2 })]),
);
const weights = initWeights(model, { seed: 3 });
const batch: TrainBatch = {
  inputs: { x: randomTensor([6, 3, 3], 1), lengths: Int32Array.of(6, 2, 4) },
  target: randomTensor([6, 3, 2], 2),
};

// Tensors and the backend's own buffers (a kernel could leak those without leaking a tensor).
const live = () => [tf.memory().numTensors, (tf.memory() as { numDataBuffers: number }).numDataBuffers];

test.each(["cpu", "wasm"])(
  "on %s, live tensors are the same after 100 training steps (and TBPTT steps) as after the first",
  async (name) => {
    const backend = tfjsBackend({ backend: name });
    for (const truncateSteps of [undefined, 4]) {
      const trainer = await backend.trainer(model, weights, {
        loss: "mse",
        optimizer: { kind: "adam", lr: 1e-2 },
        clipNorm: 1,
        seed: 1,
        ...(truncateSteps ? { truncateSteps } : {}),
      });
      await trainer.step(batch);
      await backend.gradients(model, weights, batch, { loss: "mse" });
      const after1 = live();
      for (let i = 0; i < 100; i++) await trainer.step(batch);
      await trainer.evaluate(batch);
      trainer.weights();
      trainer.state();
      await backend.gradients(model, weights, batch, { loss: "mse" });
      expect(live(), `truncateSteps ${truncateSteps}`).toEqual(after1);
      await trainer.dispose();
    }
  },
);

test.each(["cpu", "wasm"])(
  "on %s, live tensors are the same after 1000 streamed frames as after the first",
  async (name) => {
    const exe = await tfjsBackend({ backend: name }).compile(model, weights);
    const s = stream(exe);
    await s.push(randomTensor([1, 3], 0));
    const after1 = live();
    for (let t = 1; t < 1000; t++) await s.push(randomTensor([1, 3], t));
    expect(live()).toEqual(after1);
    await exe.dispose();
  },
);

test("dispose releases everything a trainer, an executable and gradients() held", async () => {
  const before = tf.memory().numTensors;
  const backend = tfjsBackend({ backend: "cpu" });
  await backend.init!();
  const base = tf.memory().numTensors;
  const exe = await backend.compile(model, weights);
  await exe.run(batch.inputs);
  const trainer = await backend.trainer(model, weights, {
    loss: "mse",
    optimizer: { kind: "rmsprop", lr: 1e-3, momentum: 0.9 },
  });
  await trainer.step(batch);
  await backend.gradients(model, weights, batch, { loss: "mse" });
  await exe.dispose();
  await trainer.dispose();
  expect(tf.memory().numTensors).toBe(base);
  expect(base).toBeGreaterThanOrEqual(before);
});

test("a run or gradients() that throws midway (a label out of range) leaves nothing behind", async () => {
  const backend = tfjsBackend({ backend: "cpu" });
  await backend.gradients(model, weights, batch, { loss: "mse" });
  const before = live();
  const labels = { shape: [6, 3], data: new Int32Array(18).fill(5) };
  await expect(
    backend.gradients(model, weights, { ...batch, target: labels }, { loss: "softmaxCrossEntropy" }),
  ).rejects.toThrow(/label 5 at \[t=0, b=0\] is outside 0\.\.1/);
  expect(live()).toEqual(before);
  await backend.gradients(model, weights, batch, { loss: "mse" });
  expect(live()).toEqual(before);
});
