import {
  assertValid,
  createRng,
  dense,
  fit,
  initWeights,
  input,
  lstm,
  sequenceDataset,
  sequential,
} from "@recurrent/core";
import { expect, test } from "vitest";
import { jsBackend } from "../index.js";

// The example of docs/training.md, kept runnable: if this changes, change the doc too.
test("docs/training.md example trains and the validation loss falls", async () => {
  // Predict the next sample of sine waves of random frequency and phase.
  const rng = createRng(1);
  const examples = Array.from({ length: 64 }, () => {
    const w = 0.15 + 0.25 * rng.next();
    const phi = 2 * Math.PI * rng.next();
    const L = 30 + Math.floor(rng.next() * 20); // variable lengths: padded and masked
    const wave = Float32Array.from({ length: L + 1 }, (_, t) => Math.sin(w * t + phi));
    return { x: wave.subarray(0, L), y: wave.subarray(1) };
  });
  const trainSet = sequenceDataset(examples.slice(0, 56), { input: "x", features: 1 });
  const devSet = sequenceDataset(examples.slice(56), { input: "x", features: 1 });

  const model = assertValid(
    sequential("sine", [input("x", 1), lstm("lstm", { units: 16 }), dense("out", { units: 1 })]),
  );
  const trainer = await jsBackend().trainer(model, initWeights(model, { seed: 1 }), {
    loss: "mse",
    optimizer: { kind: "adam", lr: 0.01 }, // PyTorch defaults: beta1 0.9, beta2 0.999, eps 1e-8
    clipNorm: 1, // clip_grad_norm_(…, 1) before every update
    truncateSteps: 20, // truncated BPTT: one update per 20-step chunk, states carried across chunks
    seed: 1, // dropout masks (this model has no dropout)
  });
  const history = await fit(trainer, trainSet, { epochs: 20, batchSize: 8, validation: devSet });
  const weights = trainer.weights(); // copies; trainer.state() is the optimizer state a checkpoint stores
  await trainer.dispose();

  const val = history.epochs.map((e) => e.valLoss!);
  expect(val).toHaveLength(20);
  expect(val.at(-1)!).toBeLessThan(val[0]! / 5);
  expect(Object.keys(weights).sort()).toEqual(Object.keys(initWeights(model, { seed: 1 })).sort());
});
