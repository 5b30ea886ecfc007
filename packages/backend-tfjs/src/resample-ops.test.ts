// Focused checks of the #16 ops beyond the PyTorch conformance fixtures: hand-computed values, the magnitude
// gradient at 0, inputs too short for a strided conv or a reflect pad, and no tensor leaks from custom gradients.
import {
  activation,
  assertValid,
  conv1d,
  dense,
  graph,
  initWeights,
  input,
  lstm,
  magnitude,
  pad,
  pool,
  sequential,
  type TrainBatch,
} from "@recurrent/core";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, test } from "vitest";
import { randomTensor } from "../test/helpers.js";
import { tfjsBackend } from "./index.js";

const backend = tfjsBackend({ backend: "cpu" });

describe("pad", () => {
  const model = assertValid(
    sequential("p", [input("x", 1, { lengths: false }), pad("p", { before: 2, after: 3, mode: "reflect" })]),
  );
  const x = { shape: [4, 1, 1], data: Float32Array.of(1, 2, 3, 4) };

  test("reflect mirrors around the edge frames without repeating them (by hand)", async () => {
    const exe = await backend.compile(model, {});
    const { p } = await exe.run({ x });
    expect(p!.shape).toEqual([9, 1, 1]);
    expect([...p!.data]).toEqual([3, 2, 1, 2, 3, 4, 3, 2, 1]);
    await exe.dispose();
  });

  test("reflect's gradient adds each mirrored frame's gradient to its source frame (by hand)", async () => {
    // mse against a zero target: dL/dy = 2·y / 9, summed into the input frame each output frame copies.
    const target = { shape: [9, 1, 1], data: new Float32Array(9) };
    const g = await backend.gradients(model, {}, { inputs: { x }, target }, { loss: "mse" });
    const y = [3, 2, 1, 2, 3, 4, 3, 2, 1];
    const source = [2, 1, 0, 1, 2, 3, 2, 1, 0]; // the input frame each output frame copies
    const expected = [0, 0, 0, 0];
    y.forEach((v, i) => {
      expected[source[i]!]! += (2 * v) / 9;
    });
    const got = [...g.inputs.x!.data];
    got.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i]!, 6);
    });
  });

  test("an input too short for a reflect pad fails before running, naming the node and both numbers", async () => {
    const exe = await backend.compile(model, {});
    const short = { shape: [3, 1, 1], data: Float32Array.of(1, 2, 3) };
    await expect(exe.run({ x: short })).rejects.toMatchObject({
      code: "FEED_SHAPE",
      nodeId: "p",
      message: expect.stringMatching(/pad "p" needs at least 4 input steps .* its input "x" has 3/),
    });
    await exe.dispose();
  });
});

describe("conv1d with stride", () => {
  const conv = conv1d("c", { filters: 2, kernelSize: 3, stride: 2, padding: "valid", dilation: 2 });
  const model = assertValid(sequential("s", [input("x", 2, { lengths: false }), conv]));
  const weights = initWeights(model, { seed: 4 });

  // Before-padding by hand: valid 0, same ⌊(field − 1)/2⌋ = 2, causal field − 1 = 4 (field 2·(3 − 1) + 1 = 5).
  const cases = [
    { padding: "valid", before: 0, after: 0, B: 1 },
    { padding: "valid", before: 0, after: 0, B: 2 },
    { padding: "same", before: 2, after: 2, B: 1 },
    { padding: "causal", before: 4, after: 0, B: 3 },
  ] as const;
  test.each(cases)(
    "$padding, B $B: frame t reads input t·2 − before + k·2, zeros outside (a plain loop)",
    async (c) => {
      const m = assertValid(
        sequential("s", [
          input("x", 2, { lengths: false }),
          conv1d("c", { filters: 2, kernelSize: 3, stride: 2, padding: c.padding, dilation: 2 }),
        ]),
      );
      const T = 11;
      const B = c.B;
      const x = randomTensor([T, B, 2], 8);
      const exe = await backend.compile(m, weights);
      const y = (await exe.run({ x })).c!;
      const Tout = Math.floor((T + c.before + c.after - 5) / 2) + 1;
      expect(y.shape).toEqual([Tout, B, 2]);
      const w = weights["c/weight"]!.data; // [F, I, K]
      const bias = weights["c/bias"]!.data;
      for (let t = 0; t < Tout; t++) {
        for (let b = 0; b < B; b++) {
          for (let f = 0; f < 2; f++) {
            let sum = bias[f]!;
            for (let k = 0; k < 3; k++) {
              const from = t * 2 - c.before + k * 2;
              if (from < 0 || from >= T) continue;
              for (let i = 0; i < 2; i++) sum += w[(f * 2 + i) * 3 + k]! * x.data[(from * B + b) * 2 + i]!;
            }
            expect(y.data[(t * B + b) * 2 + f]).toBeCloseTo(sum, 5);
          }
        }
      }
      await exe.dispose();
    },
  );

  test("an input shorter than the field fails in run, gradients and training, naming the node", async () => {
    const x = randomTensor([4, 1, 2], 1);
    const message = /conv1d "c" needs at least 5 input steps .* its input "x" has 4/;
    const exe = await backend.compile(model, weights);
    await expect(exe.run({ x })).rejects.toMatchObject({ code: "FEED_SHAPE", nodeId: "c", message });
    const batch = { inputs: { x }, target: randomTensor([1, 1, 2], 2) };
    await expect(backend.gradients(model, weights, batch, { loss: "mse" })).rejects.toThrow(message);
    const trainer = await backend.trainer(model, weights, { loss: "mse", optimizer: { kind: "sgd", lr: 0.1 } });
    await expect(trainer.step(batch)).rejects.toThrow(message);
    await Promise.all([exe.dispose(), trainer.dispose()]);
  });
});

test("a batch of 0 samples gives empty outputs whose time axis is the strided conv's", async () => {
  const model = assertValid(
    sequential("b0", [
      input("x", 1, { lengths: false }),
      pad("p", { before: 2, after: 2, mode: "reflect" }),
      conv1d("c", { filters: 4, kernelSize: 4, stride: 2, padding: "valid" }),
      magnitude("m"),
    ]),
  );
  const exe = await backend.compile(model, initWeights(model, { seed: 1 }));
  // T 9 → pad 13 → floor((13 − 4) / 2) + 1 = 5 frames; 4 features → 2.
  const { m } = await exe.run({ x: { shape: [9, 0, 1], data: new Float32Array(0) } });
  expect(m).toEqual({ shape: [5, 0, 2], data: new Float32Array(0) });
  await exe.dispose();
});

describe("magnitude", () => {
  const model = assertValid(sequential("m", [input("x", 4, { lengths: false }), magnitude("m")]));

  test("√(re² + im²), and the gradient x/y, 0 where the pair is (0, 0)", async () => {
    // Frames: (3, 0 | 4, 0) → (5, 0); (0, 1 | 0, 0) → (0, 1). The zero pair gets gradient 0, not NaN.
    const x = { shape: [2, 1, 4], data: Float32Array.of(3, 0, 4, 0, 0, 1, 0, 0) };
    const exe = await backend.compile(model, {});
    expect([...(await exe.run({ x })).m!.data]).toEqual([5, 0, 0, 1]);
    const target = { shape: [2, 1, 2], data: Float32Array.of(4, 0, 0, 3) };
    const g = await backend.gradients(model, {}, { inputs: { x }, target }, { loss: "mse" });
    // dL/dy = 2(y − target)/4 = [0.5, 0, 0, −1]; dx_k = dy_k·x_k/y_k, dx_{k+2} = dy_k·x_{k+2}/y_k.
    const expected = [0.5 * (3 / 5), 0, 0.5 * (4 / 5), 0, 0, -1, 0, 0];
    const got = [...g.inputs.x!.data];
    got.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i]!, 6);
    });
    await exe.dispose();
  });
});

describe("no leaks from the new ops and losses", () => {
  const model = assertValid(
    graph(
      "mini",
      [
        input("audio", 1, { lengths: false }),
        pad("reflect", { after: 2, mode: "reflect" }, "audio"),
        conv1d("stft", { filters: 6, kernelSize: 4, stride: 2, padding: "valid", useBias: false }, "reflect"),
        magnitude("spectrum", "stft"),
        conv1d("encoder", { filters: 4, kernelSize: 3, stride: 2, activation: "relu" }, "spectrum"),
        lstm("lstm", { units: 3 }, "encoder"),
        activation("relu", "relu", "lstm"),
        dense("decoder", { units: 1, activation: "sigmoid" }, "relu"),
        pool("prob", "mean", "decoder"),
      ],
      ["prob"],
    ),
  );
  const weights = initWeights(model, { seed: 2 });
  const batch: TrainBatch = {
    inputs: { audio: randomTensor([14, 3, 1], 5) },
    target: { shape: [3, 1], data: Float32Array.of(1, 0, 1) },
  };
  const live = () => [tf.memory().numTensors, (tf.memory() as { numDataBuffers: number }).numDataBuffers];

  test.each(["cpu", "wasm"])(
    "on %s, 20 BCE steps with frozen front-end weights leave no tensor behind",
    async (name) => {
      const b = tfjsBackend({ backend: name });
      const trainer = await b.trainer(model, weights, {
        loss: { kind: "binaryCrossEntropy", classWeights: [0.5, 1] },
        optimizer: { kind: "adam", lr: 1e-2 },
        clipNorm: 1,
        freeze: ["stft", "encoder"],
      });
      await trainer.step(batch);
      await b.gradients(model, weights, batch, { loss: "binaryCrossEntropy" });
      const after1 = live();
      for (let i = 0; i < 20; i++) await trainer.step(batch);
      await trainer.evaluate(batch);
      await b.gradients(model, weights, batch, { loss: "binaryCrossEntropy" });
      expect(live()).toEqual(after1);
      await trainer.dispose();
    },
  );
});
