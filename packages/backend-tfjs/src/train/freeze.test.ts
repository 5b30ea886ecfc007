// `freeze`: frozen weights never change (no update, no weight decay, slots stay zero) and their gradients stay out
// of the global norm and the clipping. The expected numbers come from the gradients of an unfrozen gradients()
// call and SGD's rule written out here.
import { assertValid, dense, initWeights, input, lstm, sequential, type TrainBatch } from "@recurrent/core";
import { expect, test } from "vitest";
import { randomTensor } from "../../test/helpers.js";
import { tfjsBackend } from "../index.js";

const backend = tfjsBackend({ backend: "cpu" });
const model = assertValid(sequential("f", [input("x", 3), lstm("enc", { units: 4 }), dense("out", { units: 2 })]));
const weights = initWeights(model, { seed: 7 });
const batch: TrainBatch = {
  inputs: { x: randomTensor([5, 2, 3], 3), lengths: Int32Array.of(5, 3) },
  target: randomTensor([5, 2, 2], 4),
};
const frozen = ["enc/weight_ih", "enc/weight_hh", "enc/bias_ih", "enc/bias_hh"];

test("frozen weights stay bit-identical (with weight decay), their slots zero; the rest take SGD steps", async () => {
  const trainer = await backend.trainer(model, weights, {
    loss: "mse",
    optimizer: { kind: "adam", lr: 0.05, weightDecay: 0.1 },
    freeze: ["enc"],
  });
  for (let i = 0; i < 3; i++) await trainer.step(batch);
  const after = trainer.weights();
  for (const key of frozen) expect(after[key]!.data, key).toEqual(weights[key]!.data);
  expect(after["out/weight"]!.data).not.toEqual(weights["out/weight"]!.data);
  const { slots } = trainer.state();
  for (const key of frozen) {
    for (const prefix of ["adam.m", "adam.v"]) expect(slots[`${prefix}/${key}`]!.data.every((v) => v === 0)).toBe(true);
  }
  await trainer.dispose();
});

test("the gradient norm and clipping see only the weights that train", async () => {
  const g = await backend.gradients(model, weights, batch, { loss: "mse" });
  const trained = Object.keys(weights).filter((key) => !frozen.includes(key));
  const norm = Math.sqrt(trained.reduce((a, key) => a + g.weights[key]!.data.reduce((s, v) => s + v * v, 0), 0));
  const clipNorm = norm / 2; // forces a clip by coefficient clipNorm / (norm + 1e-6)
  const lr = 0.1;
  const trainer = await backend.trainer(model, weights, {
    loss: "mse",
    optimizer: { kind: "sgd", lr },
    clipNorm,
    freeze: ["enc"],
  });
  const step = await trainer.step(batch);
  expect(step.gradNorm).toBeCloseTo(norm, 6);
  const coef = Math.min(1, clipNorm / (norm + 1e-6));
  const after = trainer.weights();
  for (const key of trained) {
    const w = weights[key]!.data;
    const grad = g.weights[key]!.data;
    after[key]!.data.forEach((v, i) => {
      expect(v, `${key}[${i}]`).toBeCloseTo(w[i]! - lr * coef * grad[i]!, 6);
    });
  }
  await trainer.dispose();
});

test("a weight key freezes that weight alone", async () => {
  const trainer = await backend.trainer(model, weights, {
    loss: "mse",
    optimizer: { kind: "sgd", lr: 0.1 },
    freeze: ["out/bias"],
  });
  await trainer.step(batch);
  const after = trainer.weights();
  expect(after["out/bias"]!.data).toEqual(weights["out/bias"]!.data);
  expect(after["out/weight"]!.data).not.toEqual(weights["out/weight"]!.data);
  await trainer.dispose();
});

test("restore replaces frozen weights too: the next step uses the restored ones", async () => {
  // The trainer keeps tensors derived from frozen weights across steps; restore must not leave stale ones behind.
  const config = { loss: "mse" as const, optimizer: { kind: "sgd" as const, lr: 0.1 }, freeze: ["enc"] };
  const other = initWeights(model, { seed: 8 });
  const [a, b] = [await backend.trainer(model, weights, config), await backend.trainer(model, other, config)];
  await a.step(batch);
  a.restore(other, b.state());
  const [ra, rb] = [await a.step(batch), await b.step(batch)];
  expect(ra.loss).toBe(rb.loss);
  expect(a.weights()).toEqual(b.weights());
  await Promise.all([a.dispose(), b.dispose()]);
});
