import {
  assertValid,
  conv1d,
  dense,
  initWeights,
  input,
  lstm,
  magnitude,
  pad,
  sequential,
  tensor,
} from "@recurrent/core";
import { expect, test } from "vitest";
import { jsBackend } from "../index.js";

// The audio example of README.md ("Audio front ends, binary targets and frozen weights"), kept runnable: if this
// changes, change the README too.
test("README audio example: a VAD-style model fine-tunes its decoder with BCE, the front end frozen", async () => {
  const model = assertValid(
    sequential("vad", [
      input("audio", 1, { lengths: false }), // [samples, B, 1]
      pad("reflect", { after: 8, mode: "reflect" }),
      conv1d("stft", { filters: 18, kernelSize: 16, stride: 8, padding: "valid", useBias: false }),
      magnitude("spectrum"), // 18 → 9 bins
      conv1d("enc", { filters: 8, kernelSize: 3, stride: 2, activation: "relu" }),
      lstm("lstm", { units: 8 }),
      dense("speech", { units: 1, activation: "sigmoid" }),
    ]),
  );
  const w0 = initWeights(model, { seed: 1 });
  const trainer = await jsBackend().trainer(model, w0, {
    loss: { kind: "binaryCrossEntropy", classWeights: [0.5, 1] }, // non-speech frames count half
    optimizer: { kind: "adam", lr: 5e-3 },
    freeze: ["stft", "enc"], // never updated, left out of the gradient norm; backward stops at the LSTM
  });
  // 64 samples → 72 padded → 8 STFT frames → 4 encoder frames: one label per encoder frame.
  const audio = tensor(
    [64, 1, 1],
    Array.from({ length: 64 }, (_, i) => (i >= 32 ? Math.sin(i) : 0)),
  );
  const { loss } = await trainer.step({ inputs: { audio }, target: tensor([4, 1, 1], [0, 0, 1, 1]) });

  expect(Number.isFinite(loss) && loss > 0).toBe(true);
  let last = loss;
  for (let i = 0; i < 30; i++)
    last = (await trainer.step({ inputs: { audio }, target: tensor([4, 1, 1], [0, 0, 1, 1]) })).loss;
  expect(last).toBeLessThan(loss);
  const w = trainer.weights();
  for (const key of ["stft/weight", "enc/weight", "enc/bias"]) expect(w[key]!.data, key).toEqual(w0[key]!.data);
  expect(w["speech/weight"]!.data).not.toEqual(w0["speech/weight"]!.data);
});
