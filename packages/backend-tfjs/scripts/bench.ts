/**
 * Measures the workloads of apps/bench on this backend next to tf.layers, in one process, per tfjs backend:
 *   W1  LSTM training step: D=39, H=128, O=39 dense per frame, B=32, T=100, MSE, Adam
 *   W3  the same model, forward only
 *   W4  streaming, B=1, 1000 frames (µs per frame)
 * tf.layers runs the same sizes batch-major (as it needs): tf.sequential(lstm returnSequences + timeDistributed
 * dense), trainOnBatch / predict, and a stateful LSTM with batch 1, one frame per predict, for streaming.
 * Usage (from packages/backend-tfjs): node --conditions=@recurrent/source --import tsx scripts/bench.ts [cpu] [wasm]
 * Prints one JSON line per backend and a table. Not a test: timings depend on the machine.
 */

import {
  assertValid,
  dense,
  initWeights,
  input,
  lstm,
  sequential,
  stream,
  type Tensor,
  timeMajorToBatchMajor,
} from "@recurrent/core";
import * as tf from "@tensorflow/tfjs";
import { tfjsBackend } from "../src/index.js";

const D = 39;
const H = 128;
const O = 39;
const B = 32;
const T = 100;
const FRAMES = 1000;

function random(shape: number[], seed: number): Tensor {
  const data = new Float32Array(shape.reduce((a, d) => a * d, 1));
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 32 - 0.5;
  }
  return { shape, data };
}

/** Median milliseconds of `reps` timed runs after `warmup` untimed ones. */
async function time(fn: () => Promise<unknown>, warmup: number, reps: number): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const model = assertValid(sequential("w1", [input("x", D), lstm("l", { units: H }), dense("out", { units: O })]));
const weights = initWeights(model, { seed: 1 });
const x = random([T, B, D], 1);
const y = random([T, B, O], 2);
const lengths = new Int32Array(B).fill(T);

async function ours(name: string) {
  const backend = tfjsBackend({ backend: name });
  const trainer = await backend.trainer(model, weights, { loss: "mse", optimizer: { kind: "adam", lr: 1e-3 } });
  const batch = { inputs: { x, lengths }, target: y };
  const w1 = await time(() => trainer.step(batch), 2, 5);
  await trainer.dispose();
  const exe = await backend.compile(model, weights);
  const w3 = await time(() => exe.run({ x, lengths }), 2, 5);
  const frames = Array.from({ length: FRAMES }, (_, t) => random([1, D], t + 7));
  const w4 = await time(
    async () => {
      const s = stream(exe);
      for (const f of frames) await s.push(f);
    },
    1,
    3,
  );
  await exe.dispose();
  return { w1, w3, w4: (w4 * 1000) / FRAMES };
}

function layersModel(batchInput: [number, number, number] | undefined) {
  const m = tf.sequential();
  m.add(
    tf.layers.lstm({
      units: H,
      returnSequences: true,
      ...(batchInput ? { batchInputShape: batchInput, stateful: true } : { inputShape: [T, D] }),
    }),
  );
  m.add(tf.layers.timeDistributed({ layer: tf.layers.dense({ units: O }) }));
  return m;
}

async function layers() {
  const m = layersModel(undefined);
  m.compile({ optimizer: tf.train.adam(1e-3), loss: "meanSquaredError" });
  const xb = timeMajorToBatchMajor(x);
  const yb = timeMajorToBatchMajor(y);
  const xs = tf.tensor(xb.data, [B, T, D]);
  const ys = tf.tensor(yb.data, [B, T, O]);
  const w1 = await time(() => m.trainOnBatch(xs, ys), 2, 5);
  const w3 = await time(
    async () => {
      const out = m.predict(xs) as tf.Tensor;
      await out.data();
      out.dispose();
    },
    2,
    5,
  );
  const s = layersModel([1, 1, D]);
  const frames = Array.from({ length: FRAMES }, (_, t) => random([1, D], t + 7));
  const w4 = await time(
    async () => {
      s.resetStates();
      for (const f of frames) {
        const out = tf.tidy(() => s.predict(tf.tensor(f.data, [1, 1, D])) as tf.Tensor);
        await out.data();
        out.dispose();
      }
    },
    1,
    3,
  );
  tf.dispose([xs, ys]);
  m.dispose?.();
  return { w1, w3, w4: (w4 * 1000) / FRAMES };
}

tf.env().set("PROD", true);
const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["cpu", "wasm"];
const rows: string[] = [];
for (const name of names) {
  const a = await ours(name);
  await tf.setBackend(name);
  const b = await layers();
  console.log(JSON.stringify({ backend: name, recurrent: a, tfLayers: b }));
  const fmt = (v: number) => v.toFixed(v < 10 ? 2 : 1);
  rows.push(
    `${name.padEnd(5)} | W1 train step ${fmt(a.w1)} ms vs ${fmt(b.w1)} ms (×${(b.w1 / a.w1).toFixed(2)})` +
      ` | W3 forward ${fmt(a.w3)} ms vs ${fmt(b.w3)} ms (×${(b.w3 / a.w3).toFixed(2)})` +
      ` | W4 stream ${fmt(a.w4)} µs/frame vs ${fmt(b.w4)} µs/frame (×${(b.w4 / a.w4).toFixed(2)})`,
  );
}
console.log("recurrent tfjs vs tf.layers (median; ×: tf.layers time / ours)");
for (const r of rows) console.log(r);
