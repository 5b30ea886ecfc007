import {
  assertValid,
  type Checkpoint,
  type CheckpointIO,
  cosineDecay,
  createRng,
  decodeCheckpoint,
  dense,
  dropout,
  encodeCheckpoint,
  type FitOptions,
  fit,
  initWeights,
  input,
  lstm,
  sequenceDataset,
  sequential,
  type TrainConfig,
  type Weights,
} from "@recurrent/core";
import { describe, expect, test } from "vitest";
import { createTrainer } from "./trainer.js";

// Resume with the real trainer driven by core's fit(): an interrupted run continued from its checkpoint in a fresh
// trainer must end with exactly the weights of an uninterrupted run (Adam slots, step count and dropout masks all
// come back; dropout masks depend only on TrainConfig.seed and the optimizer step).
const model = assertValid(
  sequential("resume", [input("x", 2), lstm("l", { units: 5 }), dropout("drop", 0.3), dense("out", { units: 1 })]),
);
const rng = createRng(11, "resume-data");
const examples = Array.from({ length: 10 }, (_, i) => {
  const L = 3 + (i % 5);
  const x = Float32Array.from({ length: L * 2 }, () => rng.normal());
  const y = Float32Array.from({ length: L }, (_, t) => x[2 * t]! * 0.5 - (t > 0 ? x[2 * t - 1]! : 0));
  return { x, y };
});
const data = sequenceDataset(examples, { input: "x", features: 2 });

/** Checkpoints in memory, through the real encoding (safetensors bytes), as a file would hold them. */
function memoryIO(): CheckpointIO & { readonly saves: number[] } {
  const files = new Map<string, Uint8Array>();
  const saves: number[] = [];
  return {
    saves,
    async save(path: string, ck: Checkpoint) {
      files.set(path, encodeCheckpoint(ck));
      saves.push(ck.position.step);
    },
    async load(path: string) {
      const bytes = files.get(path);
      return bytes === undefined ? undefined : decodeCheckpoint(bytes);
    },
  };
}

function expectSameWeights(a: Weights, b: Weights): void {
  for (const key of Object.keys(a)) expect(b[key]!.data, key).toEqual(a[key]!.data);
}

const configs: [string, TrainConfig][] = [
  ["adam, clipNorm, dropout", { loss: "mse", optimizer: { kind: "adam", lr: 0.02 }, clipNorm: 1, seed: 5 }],
  [
    "rmsprop with momentum, truncated BPTT",
    { loss: "mse", optimizer: { kind: "rmsprop", lr: 0.01, momentum: 0.5 }, truncateSteps: 2, seed: 6 },
  ],
];

describe.each(configs)("fit() resume with the JS trainer (%s)", (_name, config) => {
  const options: FitOptions = {
    epochs: 3,
    batchSize: 4,
    seed: 3,
    learningRate: cosineDecay({ initial: 0.02, steps: 9 }),
  };

  test("interrupted, checkpointed and resumed into a fresh trainer == uninterrupted", async () => {
    const start = initWeights(model, { seed: 1 });
    const straight = await createTrainer(model, start, config);
    const full = await fit(straight, data, options);
    expect(full.steps).toBe(9);

    const io = memoryIO();
    const checkpoint = { path: "run.ckpt", every: 2, io };
    const first = await createTrainer(model, start, config);
    const killed = fit(first, data, {
      ...options,
      checkpoint,
      onEvent: (e) => {
        if (e.type === "batchEnd" && e.step === 5) throw new Error("killed");
      },
    });
    await expect(killed).rejects.toThrow("killed");
    expect(io.saves).toEqual([2, 4]); // every 2 steps; the last one mid-epoch (epoch 1, batch 1)

    // A fresh trainer from other weights: everything must come from the checkpoint.
    const second = await createTrainer(model, initWeights(model, { seed: 2 }), config);
    const resumed = await fit(second, data, { ...options, checkpoint, resume: true });
    expect(resumed.steps).toBe(9);
    expectSameWeights(straight.weights(), second.weights());
    expect(second.state()).toEqual(straight.state());
    expect(resumed.epochs.map((e) => e.trainLoss)).toEqual(full.epochs.map((e) => e.trainLoss));
  });
});
