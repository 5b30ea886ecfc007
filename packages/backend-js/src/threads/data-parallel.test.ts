/**
 * Data-parallel training gives the same bits on 1, 2 and 4 threads: weights and optimizer slots after 3 steps
 * are compared exactly, for each cell, a bidirectional layer, truncated BPTT (states carried across shards) and
 * dropout (one stream per shard). The sharded step is also checked against the whole-batch gradients.
 */
import {
  assertValid,
  createRng,
  dense,
  dropout,
  initWeights,
  input,
  lastStep,
  rnn,
  sequential,
  type TrainBatch,
  type TrainConfig,
  tensor,
  type ValidModel,
} from "@recurrent/core";
import { describe, expect, test } from "vitest";
import { compileProgram } from "../engine/program.js";
import { jsBackend } from "../index.js";
import { DataParallel } from "./data-parallel.js";

const D = 3;
const O = 2;

function batchOf(T: number, B: number, k: number): TrainBatch {
  const x = tensor(
    [T, B, D],
    Array.from({ length: T * B * D }, (_, i) => Math.sin(0.37 * i + k)),
  );
  const target = tensor(
    [T, B, O],
    Array.from({ length: T * B * O }, (_, i) => Math.cos(0.21 * i - k)),
  );
  // Ragged lengths, 0 included, so shards see padding and empty samples.
  const lengths = Int32Array.from({ length: B }, (_, b) => (b * 7) % (T + 1));
  return { inputs: { x, lengths }, target };
}

/** Weights and optimizer slots after `steps` steps with `threads` threads, as one flat list of arrays. */
async function trainOn(
  threads: number,
  model: ValidModel,
  config: TrainConfig,
  batches: readonly TrainBatch[],
): Promise<{ arrays: Float32Array[]; losses: number[] }> {
  const trainer = await jsBackend({ threads }).trainer(model, initWeights(model, { seed: 5 }), config);
  const losses: number[] = [];
  for (const batch of batches) losses.push((await trainer.step(batch)).loss);
  const w = trainer.weights();
  const slots = trainer.state().slots;
  const arrays = [...Object.keys(w).map((k) => w[k]!.data), ...Object.keys(slots).map((k) => slots[k]!.data)];
  await trainer.dispose();
  return { arrays, losses };
}

function modelOf(cell: "lstm" | "gru" | "simple", bidirectional: boolean, withDropout: boolean): ValidModel {
  return assertValid(
    sequential(`m-${cell}`, [
      input("x", D),
      rnn("r", {
        cell,
        units: 5,
        ...(bidirectional ? { direction: "bidirectional" as const, merge: "sum" as const } : {}),
      }),
      ...(withDropout ? [dropout("drop", 0.3)] : []),
      dense("out", { units: O }),
    ]),
  );
}

const adam: TrainConfig = { loss: "mse", optimizer: { kind: "adam", lr: 0.01 }, seed: 3, clipNorm: 1 };

describe("data-parallel training (threads/)", () => {
  const cases: [string, ValidModel, TrainConfig, number][] = [
    ["LSTM, B = 40 (2 shards)", modelOf("lstm", false, false), adam, 40],
    ["GRU with dropout, B = 64 (4 shards)", modelOf("gru", false, true), adam, 64],
    ["simple RNN, bidirectional, B = 48 (3 shards)", modelOf("simple", true, false), adam, 48],
    ["LSTM, truncated BPTT (k = 3), B = 32", modelOf("lstm", false, false), { ...adam, truncateSteps: 3 }, 32],
    // Not MSE: the loss of the joined outputs on this thread, then a second message per worker (two phases).
    [
      "LSTM, binary cross-entropy on logits, B = 32",
      modelOf("lstm", false, false),
      { ...adam, loss: { kind: "binaryCrossEntropy", fromLogits: true } },
      32,
    ],
  ];
  for (const [name, model, config, B] of cases) {
    test(`${name}: weights and slots after 3 steps are the same bits on 1, 2 and 4 threads`, async () => {
      // Targets in [0, 1] (binary cross-entropy needs them there; MSE takes them as they are).
      const batches = [0, 1, 2].map((k) => {
        const b = batchOf(7, B, k);
        return {
          ...b,
          target: tensor(
            [...b.target.shape],
            (b.target.data as Float32Array).map((v) => 0.5 + 0.5 * v),
          ),
        };
      });
      const one = await trainOn(1, model, config, batches);
      for (const threads of [2, 4]) {
        const many = await trainOn(threads, model, config, batches);
        expect(many.losses, `losses, ${threads} threads`).toEqual(one.losses);
        expect(many.arrays.length).toBe(one.arrays.length);
        for (const [i, a] of many.arrays.entries()) expect(a, `array ${i}, ${threads} threads`).toEqual(one.arrays[i]);
      }
    });
  }

  test("a sharded step moves the weights as the whole-batch gradients say (SGD, to rounding)", async () => {
    const model = modelOf("gru", false, false);
    const weights = initWeights(model, { seed: 5 });
    const batch = batchOf(7, 40, 0);
    const lr = 0.1;
    const { loss, weights: grads } = await jsBackend({ threads: 1 }).gradients(model, weights, batch, { loss: "mse" });
    const trainer = await jsBackend({ threads: 2 }).trainer(model, weights, {
      loss: "mse",
      optimizer: { kind: "sgd", lr },
    });
    const step = await trainer.step(batch);
    expect(step.loss).toBeCloseTo(loss, 6);
    const after = trainer.weights();
    for (const key of Object.keys(weights)) {
      const expected = weights[key]!.data.map((w, i) => w - lr * grads[key]!.data[i]!);
      for (const [i, w] of after[key]!.data.entries()) expect(w, `${key}[${i}]`).toBeCloseTo(expected[i]!, 6);
    }
    await trainer.dispose();
  });

  test("an output [B, F] (last step, MSE in the shards): same bits on 1 and 2 threads, the whole batch's loss", async () => {
    const model = assertValid(
      sequential("m-last", [
        input("x", D),
        rnn("r", { cell: "gru", units: 5 }),
        lastStep("last"),
        dense("out", { units: O }),
      ]),
    );
    const batches = [0, 1].map((k) => {
      const { inputs } = batchOf(7, 32, k);
      return {
        inputs,
        target: tensor(
          [32, O],
          Array.from({ length: 32 * O }, (_, i) => Math.cos(0.3 * i + k)),
        ),
      };
    });
    const one = await trainOn(1, model, adam, batches);
    const two = await trainOn(2, model, adam, batches);
    expect(two.losses).toEqual(one.losses);
    for (const [i, a] of two.arrays.entries()) expect(a, `array ${i}`).toEqual(one.arrays[i]);
    const whole = await jsBackend({ threads: 1 }).gradients(model, initWeights(model, { seed: 5 }), batches[0]!, {
      loss: "mse",
    });
    expect(one.losses[0]).toBeCloseTo(whole.loss, 6);
  });

  test("a bad target is refused (FEED_SHAPE) by a sharded step, weights unchanged, and the next step works", async () => {
    const model = modelOf("lstm", false, false);
    const weights = initWeights(model, { seed: 5 });
    const trainer = await jsBackend({ threads: 2 }).trainer(model, weights, adam);
    const good = batchOf(7, 32, 0);
    const bad = { ...good, target: tensor([7, 32, O + 1], new Float32Array(7 * 32 * (O + 1))) };
    await expect(trainer.step(bad)).rejects.toMatchObject({ code: "FEED_SHAPE" });
    expect(trainer.weights()["out/weight"]!.data).toEqual(weights["out/weight"]!.data);
    expect(Number.isFinite((await trainer.step(good)).loss)).toBe(true);
    await trainer.dispose();
  });

  test("the shards of other threads run in workers, started as batches need them and stopped on dispose", async () => {
    const model = modelOf("lstm", false, false);
    const program = compileProgram(model, initWeights(model, { seed: 5 }));
    const parallel = new DataParallel(model, program, {}, { loss: { kind: "mse" }, output: "out" }, 3);
    const grads = new Map([...program.weights].map(([key, w]) => [key, new Float32Array(w.length)]));
    expect(parallel.gradients(batchOf(7, 16, 0), createRng(1), false, grads)).toBeUndefined(); // one shard
    expect(parallel.workers).toBe(0);
    await parallel.gradients(batchOf(7, 32, 0), createRng(1), false, grads);
    expect(parallel.workers).toBe(1); // 2 shards: one here, one in a worker
    const result = await parallel.gradients(batchOf(7, 48, 0), createRng(1), false, grads)!;
    expect(parallel.workers).toBe(2);
    expect(Number.isFinite(result.loss)).toBe(true);
    expect(grads.get("r/weight_hh")!.some((v) => v !== 0)).toBe(true);
    await parallel.dispose();
    expect(parallel.workers).toBe(0);
  });

  test("threads must be an integer >= 1 (BAD_CONFIG naming the value)", () => {
    expect(() => jsBackend({ threads: 0 })).toThrow(/threads must be an integer >= 1, got 0/);
    expect(() => jsBackend({ threads: 1.5 })).toThrow(/got 1\.5/);
  });
});
