/**
 * Runs in the page built by threads.test.ts: trains the same LSTM for 3 steps at B = 64 with each thread count
 * of `?threads=` (default `1,2,4`) and publishes the weights' bits, the losses and how many Web Workers each run
 * started on `window.__report`. `?bench=1` also times W1's shape (LSTM D 39, H 128, T 100, B 32) on 1 and 2
 * threads.
 */
import { assertValid, dense, initWeights, input, lstm, sequential, type TrainBatch } from "@recurrent/core";
import { jsBackend } from "../../src/index.js";
import { resolveThreads } from "../../src/threads/threads-option.js";
import { workerActivity } from "../../src/threads/worker-pool.js";

/** One training run. */
export interface RunReport {
  readonly threads: number;
  /** Every weight after the steps, as the bits of its float32 values, weights in key order. */
  readonly bits: number[];
  readonly losses: number[];
  /** Workers this run started, and replies they sent. */
  readonly started: number;
  readonly replies: number;
}

/** What the page reports. */
export interface PageReport {
  readonly crossOriginIsolated: boolean;
  readonly sharedArrayBuffer: boolean;
  readonly hardwareConcurrency: number;
  /** `jsBackend()`'s thread count with no option. */
  readonly defaultThreads: number;
  readonly runs: RunReport[];
  /** Median step time in ms at W1's shape, per thread count (with `?bench=1`). */
  readonly w1?: Readonly<Record<number, number>>;
  readonly fatal?: string;
}

function batchOf(T: number, B: number, D: number, O: number, k: number, ragged = true): TrainBatch {
  const x = Float32Array.from({ length: T * B * D }, (_, i) => Math.sin(0.37 * i + k));
  const target = Float32Array.from({ length: T * B * O }, (_, i) => Math.cos(0.21 * i - k));
  // Ragged lengths, so shards see padding.
  const lengths = Int32Array.from({ length: B }, (_, b) => (ragged ? T - ((b * 7) % (T / 2)) : T));
  return { inputs: { x: { shape: [T, B, D], data: x }, lengths }, target: { shape: [T, B, O], data: target } };
}

function modelOf(D: number, H: number, O: number) {
  return assertValid(sequential("m", [input("x", D), lstm("l", { units: H }), dense("out", { units: O })]));
}

async function train(threads: number): Promise<RunReport> {
  const model = modelOf(6, 24, 3);
  const before = workerActivity();
  const trainer = await jsBackend({ threads }).trainer(model, initWeights(model, { seed: 5 }), {
    loss: "mse",
    optimizer: { kind: "adam", lr: 1e-2 },
  });
  const losses: number[] = [];
  for (let k = 0; k < 3; k++) losses.push((await trainer.step(batchOf(12, 64, 6, 3, k))).loss);
  const weights = trainer.weights();
  const bits = Object.keys(weights)
    .sort()
    .flatMap((key) => [...new Uint32Array(Float32Array.from(weights[key]!.data).buffer)]);
  await trainer.dispose();
  const after = workerActivity();
  return { threads, bits, losses, started: after.started - before.started, replies: after.replies - before.replies };
}

/** Median ms of 5 timed steps after 2 warm-up steps, at W1's shape. */
async function timeW1(threads: number): Promise<number> {
  const model = modelOf(39, 128, 39);
  const trainer = await jsBackend({ threads }).trainer(model, initWeights(model, { seed: 1 }), {
    loss: "mse",
    optimizer: { kind: "adam", lr: 1e-3 },
  });
  const batch = batchOf(100, 32, 39, 39, 0, false);
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    await trainer.step(batch);
    if (i >= 2) times.push(performance.now() - t0);
  }
  await trainer.dispose();
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

async function run(): Promise<PageReport> {
  const params = new URLSearchParams(location.search);
  const counts = (params.get("threads") ?? "1,2,4").split(",").map(Number);
  const runs: RunReport[] = [];
  for (const threads of counts) runs.push(await train(threads));
  const w1: Record<number, number> = {};
  if (params.get("bench") === "1") for (const threads of [1, 2]) w1[threads] = await timeW1(threads);
  return {
    crossOriginIsolated: globalThis.crossOriginIsolated,
    sharedArrayBuffer: typeof SharedArrayBuffer === "function",
    hardwareConcurrency: navigator.hardwareConcurrency,
    defaultThreads: resolveThreads(undefined),
    runs,
    ...(params.get("bench") === "1" ? { w1 } : {}),
  };
}

const target = window as unknown as { __report?: PageReport };
run().then(
  (report) => {
    target.__report = report;
  },
  (e: unknown) => {
    target.__report = {
      crossOriginIsolated: globalThis.crossOriginIsolated,
      sharedArrayBuffer: typeof SharedArrayBuffer === "function",
      hardwareConcurrency: navigator.hardwareConcurrency,
      defaultThreads: 0,
      runs: [],
      fatal: (e as Error).stack ?? String(e),
    };
  },
);
