// The README's example (run by src/readme-example.test.ts, so it cannot rot):
//   node --conditions=@recurrent/source --import tsx scripts/example.ts

import { tfjsBackend } from "@recurrent/backend-tfjs";
import {
  assertValid,
  dense,
  fit,
  initWeights,
  input,
  lstm,
  sequenceDataset,
  sequential,
  stream,
} from "@recurrent/core";

export async function example(backendName = "wasm") {
  // A toy task: predict the running sum of the first feature, frame by frame, from sequences of 4..9 frames.
  const examples = Array.from({ length: 64 }, (_, i) => {
    const L = 4 + (i % 6);
    const x = Float32Array.from({ length: L * 2 }, (_, j) => Math.sin(i * 1.3 + j * 0.7));
    let sum = 0;
    const y = Float32Array.from({ length: L }, (_, t) => (sum += 0.5 * x[t * 2]!));
    return { x, y };
  });
  const data = sequenceDataset(examples, { input: "x", features: 2 });

  const model = assertValid(
    sequential("demo", [input("x", 2), lstm("lstm", { units: 16 }), dense("out", { units: 1 })]),
  );
  const backend = tfjsBackend({ backend: backendName }); // "cpu" | "wasm" in Node; "webgl" | "webgpu" in browsers
  await backend.init!(); // throws BackendError NO_BACKEND, saying why, when that tfjs backend cannot start

  const trainer = await backend.trainer(model, initWeights(model, { seed: 1 }), {
    loss: "mse",
    optimizer: { kind: "adam", lr: 2e-2 },
    clipNorm: 1,
  });
  const history = await fit(trainer, data, { epochs: 15, batchSize: 16 });
  const weights = trainer.weights();
  await trainer.dispose();

  // Inference on whole sequences [T, B, 2] with lengths, then frame by frame with carried LSTM state.
  const exe = await backend.compile(model, weights);
  const live = stream(exe);
  const outputs: number[] = [];
  for (let t = 0; t < 5; t++) {
    const { out } = await live.push({ shape: [1, 2], data: Float32Array.of(Math.sin(t * 0.7), 0) });
    outputs.push(out!.data[0]!);
  }
  await exe.dispose();
  return { losses: history.epochs.map((e) => e.trainLoss), streamed: outputs };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { losses, streamed } = await example(process.argv[2]);
  console.log(
    `train loss ${losses[0]!.toFixed(4)} → ${losses.at(-1)!.toFixed(4)}; streamed ${streamed.map((v) => v.toFixed(3))}`,
  );
}
