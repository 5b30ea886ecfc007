/**
 * A Silero-VAD-shaped call on tfjs (issue #16): 576 samples (64 context + 512 new) → reflect pad 64 → STFT conv
 * (1 → 258, k 256, stride 128, no bias) → magnitude → conv k3 129→128 relu → k3 s2 128→64 relu → k3 s2 64→64
 * relu → k3 64→128 relu → LSTM 128 (one step) → relu → dense 1 sigmoid → mean over time, random weights of the
 * real shapes. Reports µs per `Executable.run` (batch 1) and per training step (batch 8, encoder frozen, BCE),
 * median of `reps` rounds, for each tfjs backend named. Timing lives here, never in tests.
 * Run: cd packages/backend-tfjs && node --conditions=@recurrent/source --import tsx scripts/silero-shaped-bench.ts \
 *        [reps=5] [backends=cpu,wasm]
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
import { tfjsBackend } from "../src/index.js";

const REPS = Number(process.argv[2] ?? 5);
const BACKENDS = (process.argv[3] ?? "cpu,wasm").split(",");

const model = assertValid(
  sequential("silero-shaped", [
    input("audio", 1, { lengths: false, time: 576 }),
    pad("reflect", { after: 64, mode: "reflect" }),
    conv1d("stft", { filters: 258, kernelSize: 256, stride: 128, padding: "valid", useBias: false }),
    magnitude("spectrum"),
    conv1d("conv1", { filters: 128, kernelSize: 3, activation: "relu" }),
    conv1d("conv2", { filters: 64, kernelSize: 3, stride: 2, activation: "relu" }),
    conv1d("conv3", { filters: 64, kernelSize: 3, stride: 2, activation: "relu" }),
    conv1d("conv4", { filters: 128, kernelSize: 3, activation: "relu" }),
    lstm("lstm", { units: 128 }),
    activation("relu", "relu"),
    dense("final", { units: 1, activation: "sigmoid" }),
    pool("mean", "mean"),
  ]),
);
const weights = initWeights(model, { seed: 1 });
const samples = (B: number) => ({
  shape: [576, B, 1],
  data: Float32Array.from({ length: 576 * B }, (_, i) => 0.3 * Math.sin(i / 7) * Math.cos(i / 1000)),
});

async function median(calls: number, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.max(10, calls / 10); i++) await fn();
  const rounds: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) await fn();
    rounds.push(((performance.now() - start) * 1000) / calls);
  }
  return rounds.sort((a, b) => a - b)[rounds.length >> 1]!;
}

for (const name of BACKENDS) {
  const backend = tfjsBackend({ backend: name });
  const exe = await backend.compile(model, weights);
  const one = samples(1);
  const run = await median(200, () => exe.run({ audio: one }));
  const trainer = await backend.trainer(model, weights, {
    loss: { kind: "binaryCrossEntropy", classWeights: [0.5, 1] },
    optimizer: { kind: "adam", lr: 5e-4 },
    freeze: ["stft", "conv1", "conv2", "conv3", "conv4"],
  });
  const batch = {
    inputs: { audio: samples(8) },
    target: { shape: [8, 1], data: Float32Array.of(1, 0, 1, 1, 0, 0, 1, 0) },
  };
  const step = await median(50, () => trainer.step(batch));
  console.log(
    `${name}: run ${run.toFixed(0)} µs per call (B 1); train step ${step.toFixed(0)} µs (B 8, encoder frozen)`,
  );
  await Promise.all([exe.dispose(), trainer.dispose()]);
}
