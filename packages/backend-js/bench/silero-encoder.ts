/**
 * Silero VAD's front end on one call (issue #16): 576 samples (64 context + 512 new) → reflect pad 64 → STFT conv
 * (1 → 258, k 256, stride 128, no bias) → magnitude → conv k3 129→128 relu → k3 s2 128→64 relu → k3 s2 64→64
 * relu → k3 64→128 relu, with random weights of the real shapes; then the same with the decoder (LSTM 128 one step,
 * relu, dense 1 sigmoid, mean over time). Reports µs per call of `Executable.run`, median of `reps` rounds, then
 * µs per train step (BCE, Adam) of the whole model at B = 1, all trained and with the encoder frozen.
 * Timing lives here, never in tests.
 * Run: cd packages/backend-js && /work/main/node_modules/.bin/tsx --conditions=@recurrent/source \
 *        bench/silero-encoder.ts [reps=9]
 */
import {
  activation,
  assertValid,
  conv1d,
  dense,
  initWeights,
  input,
  lstm,
  magnitude,
  pad,
  pool,
  sequential,
} from "@recurrent/core";
import { jsBackend, productKernel } from "../src/index.js";

const REPS = Number(process.argv[2] ?? 9);
const CALLS = 2000;

const encoder = [
  input("audio", 1, { lengths: false, time: 576 }),
  pad("reflect", { after: 64, mode: "reflect" }),
  conv1d("stft", { filters: 258, kernelSize: 256, stride: 128, padding: "valid", useBias: false }),
  magnitude("spectrum"),
  conv1d("conv1", { filters: 128, kernelSize: 3, activation: "relu" }),
  conv1d("conv2", { filters: 64, kernelSize: 3, stride: 2, activation: "relu" }),
  conv1d("conv3", { filters: 64, kernelSize: 3, stride: 2, activation: "relu" }),
  conv1d("conv4", { filters: 128, kernelSize: 3, activation: "relu" }),
];
const decoder = [
  lstm("lstm", { units: 128 }),
  activation("relu", "relu"),
  dense("final", { units: 1, activation: "sigmoid" }),
  pool("mean", "mean"),
];

const x = { shape: [576, 1, 1], data: Float32Array.from({ length: 576 }, (_, i) => 0.3 * Math.sin(i / 7)) };

async function time(name: string, layers: Parameters<typeof sequential>[1]): Promise<void> {
  const model = assertValid(sequential(name, layers));
  const exe = await jsBackend().compile(model, initWeights(model, { seed: 1 }));
  for (let i = 0; i < 200; i++) await exe.run({ audio: x });
  const rounds: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const start = performance.now();
    for (let i = 0; i < CALLS; i++) await exe.run({ audio: x });
    rounds.push(((performance.now() - start) * 1000) / CALLS);
  }
  rounds.sort((a, b) => a - b);
  const median = rounds[rounds.length >> 1]!;
  console.log(
    `${name}: ${median.toFixed(1)} µs per call (min ${rounds[0]!.toFixed(1)}, product kernel ${productKernel()})`,
  );
  await exe.dispose();
}

async function timeSteps(name: string, freeze: string[]): Promise<void> {
  const model = assertValid(sequential(name, [...encoder, ...decoder]));
  const trainer = await jsBackend().trainer(model, initWeights(model, { seed: 1 }), {
    loss: { kind: "binaryCrossEntropy", classWeights: [0.5, 1] },
    optimizer: { kind: "adam", lr: 5e-4 },
    freeze,
  });
  const batch = { inputs: { audio: x }, target: { shape: [1, 1], data: Float32Array.of(1) } };
  for (let i = 0; i < 50; i++) await trainer.step(batch);
  const rounds: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const start = performance.now();
    for (let i = 0; i < CALLS / 4; i++) await trainer.step(batch);
    rounds.push(((performance.now() - start) * 1000) / (CALLS / 4));
  }
  rounds.sort((a, b) => a - b);
  console.log(`${name}: ${rounds[rounds.length >> 1]!.toFixed(1)} µs per train step (min ${rounds[0]!.toFixed(1)})`);
  await trainer.dispose();
}

await time("encoder", encoder);
await time("encoder+decoder", [...encoder, ...decoder]);
await timeSteps("train step, all weights", []);
await timeSteps("train step, encoder frozen", ["stft", "conv1", "conv2", "conv3", "conv4"]);
