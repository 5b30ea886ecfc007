/**
 * W1, W3, W4, W5 of /work/shared/reference/performance.md on backend-js: the scalar kernels ("before"), SIMD
 * matrix products with the recurrent loop in JavaScript, and SIMD products plus the fused LSTM loop ("after"),
 * side by side in one process, alternating, so that machine load hits all alike. Timing lives here, never in tests.
 *   W1: LSTM D=39 H=128 returning sequences + dense O=39, B=32, T=100: train step (forward, BPTT, Adam), MSE.
 *   W3: the same model, forward only.          W4: the same model streaming: B=1, one frame per call.
 *   W5: bidirectional LSTM (merge sum), train step.
 * Run: cd packages/backend-js && /work/main/node_modules/.bin/tsx --conditions=@recurrent/source bench/workloads.ts [reps]
 */
import { cpus, loadavg } from "node:os";
import {
  assertValid,
  createRng,
  dense,
  type Graph,
  initWeights,
  input,
  lstm,
  sequential,
  type Tensor,
} from "@recurrent/core";
import { jsBackend } from "../src/index.js";
import { type KernelMode, setKernelMode } from "../src/math/wasm/simd-support.js";

const D = 39;
const H = 128;
const O = 39;
const B = 32;
const T = 100;
const FRAMES = 1000;
const REPS = Number(process.argv[2] ?? 5);
const MODES: { label: string; mode: KernelMode }[] = [
  { label: "scalar JS (before)", mode: "scalar" },
  { label: "SIMD products only", mode: "gemm" },
  { label: "SIMD + fused LSTM loop (after)", mode: "auto" },
];

function randomTensor(shape: number[], seed: number): Tensor {
  const rng = createRng(seed);
  const data = new Float32Array(shape.reduce((a, d) => a * d, 1));
  for (let i = 0; i < data.length; i++) data[i] = rng.next() * 2 - 1;
  return { shape, data };
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, min: s[0]! };
};

const graph = (bidirectional: boolean): Graph =>
  sequential(bidirectional ? "w5" : "w1", [
    input("x", D),
    lstm("lstm", { units: H, ...(bidirectional ? { direction: "bidirectional" as const } : {}) }),
    dense("out", { units: O }),
  ]);

const x = randomTensor([T, B, D], 2);
const target = randomTensor([T, B, O], 3);
const lengths = new Int32Array(B).fill(T);
const frames = randomTensor([FRAMES, 1, D], 4);
const backend = jsBackend({ threads: 1 }); // one thread: kernels compared, not the data-parallel trainer

/** One timed sample of each workload, per mode: [workload][mode] → ms (W4: µs per frame). */
type Sample = Record<string, number[][]>;
const samples: Sample = Object.fromEntries(["W1", "W3", "W4", "W5"].map((w) => [w, MODES.map(() => [])]));

const setups = await Promise.all(
  MODES.map(async ({ mode }) => {
    setKernelMode(mode);
    const m1 = assertValid(graph(false));
    const m5 = assertValid(graph(true));
    const config = { loss: "mse", optimizer: { kind: "adam", lr: 1e-3 } } as const;
    return {
      exe: await backend.compile(m1, initWeights(m1, { seed: 1 })),
      t1: await backend.trainer(m1, initWeights(m1, { seed: 1 }), config),
      t5: await backend.trainer(m5, initWeights(m5, { seed: 1 }), config),
    };
  }),
);

async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function stream(exe: (typeof setups)[number]["exe"]): Promise<number> {
  let h: Tensor = { shape: [1, 1, H], data: new Float32Array(H) };
  let c: Tensor = { shape: [1, 1, H], data: new Float32Array(H) };
  const lengths = Int32Array.of(1); // one frame per call
  const t0 = performance.now();
  for (let t = 0; t < FRAMES; t++) {
    const frame = { shape: [1, 1, D], data: frames.data.subarray(t * D, (t + 1) * D) };
    const out = await exe.run({ x: frame, lengths, "lstm/h": h, "lstm/c": c }, { fetch: ["out", "lstm/h", "lstm/c"] });
    h = out["lstm/h"]!;
    c = out["lstm/c"]!;
  }
  return ((performance.now() - t0) * 1000) / FRAMES;
}

const batch = { inputs: { x, lengths }, target };
const load0 = loadavg();
for (let rep = -1; rep < REPS; rep++) {
  for (let m = 0; m < MODES.length; m++) {
    setKernelMode(MODES[m]!.mode);
    const { exe, t1, t5 } = setups[m]!;
    const w3 = await timeMs(() => exe.run({ x, lengths }));
    const w4 = await stream(exe);
    const w1 = await timeMs(() => t1.step(batch));
    const w5 = await timeMs(() => t5.step(batch));
    if (rep < 0) continue; // warm-up
    samples.W1![m]!.push(w1);
    samples.W3![m]!.push(w3);
    samples.W4![m]!.push(w4);
    samples.W5![m]!.push(w5);
  }
}
const load1 = loadavg();

const FLOP = { W1: 1756e6, W3: 585e6, W4: 182912, W5: 3417e6 };
console.log(
  `backend-js, ${cpus()[0]?.model ?? "?"}, Node ${process.version}; ${REPS} alternating reps after a warm-up; ` +
    `load average ${load0[0]!.toFixed(1)} → ${load1[0]!.toFixed(1)}`,
);
console.log(`| workload | ${MODES.map((m) => `${m.label}: median / min`).join(" | ")} | speed-up (medians) |`);
console.log(`|---|${MODES.map(() => "---|").join("")}---|`);
for (const [w, flop] of Object.entries(FLOP)) {
  const unit = w === "W4" ? "µs/frame" : "ms";
  const scale = w === "W4" ? 1e3 : 1e6; // GFLOP/s = flop / (t in s) / 1e9
  const cells = samples[w]!.map((xs) => {
    const { median, min } = stats(xs);
    return `${median.toFixed(w === "W4" ? 1 : 0)} / ${min.toFixed(w === "W4" ? 1 : 0)} ${unit} (${(flop / median / scale).toFixed(2)} GFLOP/s)`;
  });
  const speedup = stats(samples[w]![0]!).median / stats(samples[w]!.at(-1)!).median;
  console.log(`| ${w} | ${cells.join(" | ")} | ${speedup.toFixed(1)}× |`);
}
for (const s of setups) {
  await s.exe.dispose();
  await s.t1.dispose();
  await s.t5.dispose();
}
