/**
 * Timings of onnxBackend on two workloads (a script, not a test; run from packages/onnx):
 *   npx tsx --conditions=@recurrent/source scripts/measure.ts
 * W3: LSTM D=39 H=128 → dense 39, B=32, T=100, whole-sequence forward (ms per batch).
 * W4: the same model, B=1, one frame per call through core's stream() with state fed back, 1000 frames (µs/frame).
 */
import { availableParallelism } from "node:os";
import { assertValid, createRng, dense, initWeights, input, lstm, sequential, stream } from "@recurrent/core";
import { onnxBackend } from "../src/node.js";

const model = assertValid(
  sequential("w3", [input("x", 39), lstm("lstm", { units: 128 }), dense("out", { units: 39 })]),
);
const weights = initWeights(model, { seed: 1 });
const rng = createRng(1, "measure");
const uniform = (n: number) => Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function w3(threads: number | undefined): Promise<number> {
  const exe = await onnxBackend(threads === undefined ? {} : { intraOpNumThreads: threads }).compile(model, weights);
  const feeds = { x: { shape: [100, 32, 39], data: uniform(100 * 32 * 39) }, lengths: new Int32Array(32).fill(100) };
  for (let i = 0; i < 5; i++) await exe.run(feeds);
  const times: number[] = [];
  for (let i = 0; i < 30; i++) {
    const start = performance.now();
    await exe.run(feeds);
    times.push(performance.now() - start);
  }
  await exe.dispose();
  return median(times);
}

async function w4(threads: number | undefined): Promise<number> {
  const exe = await onnxBackend(threads === undefined ? {} : { intraOpNumThreads: threads }).compile(model, weights);
  const frames = Array.from({ length: 1000 }, () => ({ shape: [1, 39], data: uniform(39) }));
  const runs: number[] = [];
  for (let r = 0; r < 3; r++) {
    const s = stream(exe);
    const start = performance.now();
    for (const f of frames) await s.push(f);
    runs.push(((performance.now() - start) * 1000) / frames.length);
  }
  await exe.dispose();
  return median(runs);
}

console.log(`node ${process.version}, ${availableParallelism()} cores, onnxruntime-node CPU EP`);
for (const threads of [undefined, 1]) {
  const label = threads === undefined ? "default threads" : `${threads} thread`;
  console.log(`W3 (${label}): ${(await w3(threads)).toFixed(2)} ms per [100, 32, 39] batch`);
  console.log(`W4 (${label}): ${(await w4(threads)).toFixed(1)} µs per frame (B=1, state fed back)`);
}
