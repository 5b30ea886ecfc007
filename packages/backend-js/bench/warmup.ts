/**
 * Wall time of each of the first steps of W6 (simple RNN 128, T=100, B=32, D=39 → dense 39, MSE, Adam) on N
 * threads, with a garbage collection before each step as apps/bench does (when run with --expose-gc): how many
 * steps a trainer takes to reach its steady pace, which a bench with few warm-up runs puts in its median.
 * Timing lives here, never in tests.
 * Run: cd packages/backend-js && node --expose-gc --experimental-wasm-relaxed-simd \
 *        --conditions=@recurrent/source --import tsx bench/warmup.ts [threads=2] [steps=30]
 */
import {
  assertValid,
  createRng,
  dense,
  fullLengths,
  initWeights,
  input,
  rnn,
  sequential,
  type Tensor,
} from "@recurrent/core";
import { jsBackend } from "../src/index.js";

const THREADS = Number(process.argv[2] ?? 2);
const STEPS = Number(process.argv[3] ?? 30);

function randomTensor(shape: number[], seed: number): Tensor {
  const rng = createRng(seed);
  const data = new Float32Array(shape.reduce((a, d) => a * d, 1));
  for (let i = 0; i < data.length; i++) data[i] = rng.next() * 2 - 1;
  return { shape, data };
}

const model = assertValid(
  sequential("w6", [input("x", 39), rnn("rnn", { cell: "simple", units: 128 }), dense("out", { units: 39 })]),
);
const x = randomTensor([100, 32, 39], 1);
const batch = { inputs: { x, lengths: fullLengths(x) }, target: randomTensor([100, 32, 39], 2) };
const trainer = await jsBackend({ threads: THREADS }).trainer(model, initWeights(model, { seed: 1 }), {
  loss: "mse",
  optimizer: { kind: "adam", lr: 1e-3 },
});
const gc = (globalThis as { gc?: () => void }).gc;
const ms: number[] = [];
for (let i = 0; i < STEPS; i++) {
  gc?.();
  const t0 = performance.now();
  await trainer.step(batch);
  ms.push(performance.now() - t0);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`W6 on ${THREADS} thread(s), ms per step in order: ${ms.map((m) => m.toFixed(1)).join(" ")}`);
// apps/bench's full plan: one untimed step, 3 warm-ups, then 15 timed runs.
console.log(`median of steps 5-19 (apps/bench): ${median(ms.slice(4, 19)).toFixed(2)} ms`);
console.log(`median of the last half: ${median(ms.slice(STEPS >> 1)).toFixed(2)} ms`);
await trainer.dispose();
