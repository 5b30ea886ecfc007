import { jsBackend } from "@recurrent/backend-js";
import { assertValid, dense, initWeights, input, lstm, sequential, type TrainConfig } from "@recurrent/core";
import { expect, test } from "vitest";
import { randomTensor } from "../../test/helpers.js";
import { tfjsBackend } from "../index.js";

// Truncated BPTT where the middle chunk's labels all have class weight 0: that chunk teaches nothing, but the
// recurrent state must still move through it, or the third chunk starts from the wrong state. backend-js is the
// reference here (its TBPTT steps match a PyTorch loop in trainer-fixture tests); a backend that skipped the chunk
// would start chunk 3 from the state after chunk 1 and end with different weights.
test("a zero-weight TBPTT chunk still carries the states, as in backend-js", async () => {
  const model = assertValid(sequential("t", [input("x", 3), lstm("l", { units: 4 }), dense("out", { units: 3 })]));
  const weights = initWeights(model, { seed: 3 });
  const T = 6;
  const B = 2;
  // Chunks of 2 steps: labels 0 in steps 2–3 (weight 0), labels 1–2 elsewhere.
  const labels = Int32Array.from({ length: T * B }, (_, i) => {
    const t = Math.floor(i / B);
    return t === 2 || t === 3 ? 0 : 1 + (i % 2);
  });
  const batch = {
    inputs: { x: randomTensor([T, B, 3], 11), lengths: Int32Array.of(6, 5) },
    target: { shape: [T, B], data: labels },
  };
  const config: TrainConfig = {
    loss: { kind: "softmaxCrossEntropy", classWeights: [0, 1, 1] },
    optimizer: { kind: "sgd", lr: 0.5 },
    truncateSteps: 2,
  };
  const js = await jsBackend().trainer(model, weights, config);
  const tf = await tfjsBackend({ backend: "cpu" }).trainer(model, weights, config);
  const [a, b] = [await js.step(batch), await tf.step(batch)];
  expect(b.loss).toBeCloseTo(a.loss, 5);
  const wa = js.weights();
  const wb = tf.weights();
  for (const key of Object.keys(wa)) {
    const x = wa[key]!.data;
    const y = wb[key]!.data;
    for (let i = 0; i < x.length; i++) expect(Math.abs(x[i]! - y[i]!), `${key}[${i}]`).toBeLessThan(1e-5);
  }
  await Promise.all([js.dispose(), tf.dispose()]);
});
