import { describe, expect, test } from "vitest";
import type { Executable, Feeds } from "../backend/backend.js";
import type { ValidModel } from "../ir/valid-model.js";
import type { Tensor } from "../tensor/tensor.js";
import { LinearTrainer } from "./__fixtures__/linear-trainer.js";
import { sequenceDataset, vectorDataset } from "./dataset.js";
import { countCorrect, frameAccuracy } from "./metrics.js";

describe("countCorrect", () => {
  test("sequences: padded steps are not counted (hand-counted 3 of 4)", () => {
    // T = 3, B = 2, C = 3. Sample 0 has 3 steps, sample 1 has 1 (its steps 1 and 2 are padding).
    // arg-max per (t, b): (0,0)=2 (0,1)=0 | (1,0)=1 (1,1)=2 | (2,0)=0 (2,1)=1
    const logits: Tensor = {
      shape: [3, 2, 3],
      data: Float32Array.from([0, 1, 5, 9, 1, 0, 0, 4, 1, 0, 0, 3, 7, 1, 1, 0, 9, 1]),
    };
    // labels:  (0,0)=2 ✓ (0,1)=0 ✓ | (1,0)=0 ✗ (1,1)=2 padding | (2,0)=0 ✓ (2,1)=1 padding
    const labels = { shape: [3, 2], data: Int32Array.from([2, 0, 0, 2, 0, 1]) };
    expect(countCorrect(logits, labels, Int32Array.from([3, 1]))).toEqual({ correct: 3, frames: 4 });
    // Without lengths every step counts: the two padded steps are right by chance, 5 of 6.
    expect(countCorrect(logits, labels)).toEqual({ correct: 5, frames: 6 });
  });

  test("ties go to the lowest class; vectors [B, C] against labels [B]", () => {
    const logits: Tensor = { shape: [2, 2], data: Float32Array.from([1, 1, 0, 2]) };
    expect(countCorrect(logits, { shape: [2], data: Int32Array.from([0, 0]) })).toEqual({ correct: 1, frames: 2 });
  });

  test("mismatched shapes name both", () => {
    const logits: Tensor = { shape: [3, 2, 4], data: new Float32Array(24) };
    expect(() => countCorrect(logits, { shape: [2, 2], data: new Int32Array(4) })).toThrow(
      "logits [3,2,4] do not match labels [2,2] (expected labels [3,2])",
    );
  });
});

/** A "backend" whose model returns its input as the logits, so the accuracy is the labels' agreement with x. */
const identityBackend = {
  async compile(model: ValidModel): Promise<Executable> {
    return {
      model,
      async run(feeds: Feeds) {
        return { out: feeds.x as Tensor };
      },
      async dispose() {},
    };
  },
};

describe("frameAccuracy", () => {
  test("vectors: the share of arg-max hits over all batches (3 of 5)", async () => {
    const rows = [
      [1, 0, 0], // → 0
      [0, 2, 1], // → 1
      [0, 1, 3], // → 2
      [5, 4, 0], // → 0
      [0, 0, 1], // → 2
    ];
    const labels = [0, 1, 1, 0, 0]; // hits: 0, 1, 3
    const data = vectorDataset(
      rows.map((r, i) => ({ x: Float32Array.from(r), y: labels[i]! })),
      { input: "x" },
    );
    const metric = frameAccuracy({
      backend: identityBackend,
      model: {} as ValidModel,
      data,
      output: "out",
      batchSize: 2,
    });
    expect(await metric({ trainer: new LinearTrainer({ w0: [0], lr: 0 }), epoch: 0 })).toBe(3 / 5);
  });

  test("sequences: whole utterances, padding excluded (2 of 3 frames)", async () => {
    const data = sequenceDataset(
      [
        { x: Float32Array.from([1, 0, 0, 1]), y: Int32Array.from([0, 0]) }, // → 0, 1: one hit
        { x: Float32Array.from([0, 1]), y: Int32Array.from([1]) }, // → 1: hit
      ],
      { input: "x", features: 2 },
    );
    const metric = frameAccuracy({ backend: identityBackend, model: {} as ValidModel, data, output: "out" });
    expect(await metric({ trainer: new LinearTrainer({ w0: [0], lr: 0 }), epoch: 0 })).toBe(2 / 3);
  });
});
