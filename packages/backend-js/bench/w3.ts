/**
 * W3 / W4 of /work/shared/reference/performance.md on the JS engine with its default kernels, plus the older
 * scalar ablations (timing lives here, never in tests). Before/after WebAssembly side by side: workloads.ts.
 *   W3: LSTM D=39 H=128 returning sequences + per-frame dense O=39, B=32, T=100, forward only.
 *   W4: the same model streaming: B=1, one frame per call, state carried, 1000 frames.
 * Run: cd packages/backend-js && ../../node_modules/.bin/tsx --conditions=@recurrent/source bench/w3.ts
 */
import { assertValid, createRng, dense, initWeights, input, lstm, sequential, type Tensor } from "@recurrent/core";
import { jsBackend } from "../src/index.js";

const D = 39;
const H = 128;
const O = 39;
const B = 32;
const T = 100;
const W3_FLOP = T * (2 * B * 4 * H * (D + H) + 2 * B * H * O + 15 * B * H);
const W4_FLOP = 2 * 4 * H * (D + H) + 2 * H * O + 15 * H;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function randomTensor(shape: number[], seed: number, scale = 1): Tensor {
  const rng = createRng(seed);
  const data = new Float32Array(shape.reduce((a, d) => a * d, 1));
  for (let i = 0; i < data.length; i++) data[i] = (rng.next() * 2 - 1) * scale;
  return { shape, data };
}

const model = assertValid(sequential("w3", [input("x", D), lstm("lstm", { units: H }), dense("out", { units: O })]));
const weights = initWeights(model, { seed: 1 });
const exe = await jsBackend().compile(model, weights);

// W3
const x = randomTensor([T, B, D], 2);
const lengths = new Int32Array(B).fill(T);
for (let i = 0; i < 3; i++) await exe.run({ x, lengths });
const w3: number[] = [];
for (let i = 0; i < 15; i++) {
  const t0 = performance.now();
  await exe.run({ x, lengths });
  w3.push(performance.now() - t0);
}
const w3ms = median(w3);
console.log(
  `W3 forward B=${B} T=${T}: ${w3ms.toFixed(1)} ms (median of ${w3.length}), ${(W3_FLOP / w3ms / 1e6).toFixed(2)} GFLOP/s`,
);

// W4: one frame per call, states fed back.
const frames = randomTensor([1000, 1, D], 3);
const oneStep = Int32Array.of(1); // the lengths of a one-frame call
const runFrames = async () => {
  let h: Tensor = { shape: [1, 1, H], data: new Float32Array(H) };
  let c: Tensor = { shape: [1, 1, H], data: new Float32Array(H) };
  const t0 = performance.now();
  for (let t = 0; t < 1000; t++) {
    const frame = { shape: [1, 1, D], data: frames.data.subarray(t * D, (t + 1) * D) };
    const out = await exe.run(
      { x: frame, lengths: oneStep, "lstm/h": h, "lstm/c": c },
      { fetch: ["out", "lstm/h", "lstm/c"] },
    );
    h = out["lstm/h"]!;
    c = out["lstm/c"]!;
  }
  return ((performance.now() - t0) / 1000) * 1000;
};
await runFrames();
const w4: number[] = [];
for (let i = 0; i < 5; i++) w4.push(await runFrames());
const w4us = median(w4);
console.log(
  `W4 streaming B=1: ${w4us.toFixed(1)} µs/frame (median of ${w4.length} × 1000 frames), ${(W4_FLOP / w4us / 1e3).toFixed(2)} GFLOP/s`,
);

// ---- Ablations, measured side by side in this run (what each design choice buys) ----
const { gemmPacked, gemmPackedScalar, pack } = await import("../src/math/gemm.js");
const { fastSigmoid, fastTanh } = await import("../src/math/fast-math.js");
const { compileProgram } = await import("../src/engine/program.js");

function time(reps: number, fn: () => void): number {
  for (let i = 0; i < Math.max(1, reps >> 2); i++) fn();
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    runs.push((performance.now() - t0) / reps);
  }
  return median(runs);
}

/** Naive `C = A·Wᵀ` (ikj order over a pre-transposed W, float32 loads): the plain-loops baseline. */
function naiveGemm(M: number, N: number, K: number, A: Float32Array, Wt: Float32Array, C: Float32Array): void {
  C.fill(0, 0, M * N);
  for (let i = 0; i < M; i++) {
    for (let k = 0; k < K; k++) {
      const a = A[i * K + k]!;
      for (let j = 0; j < N; j++) C[i * N + j] = C[i * N + j]! + a * Wt[k * N + j]!;
    }
  }
}

const stepA = randomTensor([B, H], 5).data;
const whh = randomTensor([4 * H, H], 6).data;
const whhT = new Float32Array(H * 4 * H);
for (let g = 0; g < 4 * H; g++) for (let k = 0; k < H; k++) whhT[k * 4 * H + g] = whh[g * H + k]!;
const packed = pack(whh, 0, 1, H, H, 4 * H);
const stepC = new Float32Array(B * 4 * H);
const stepFlop = 2 * B * 4 * H * H;
const naiveMs = time(20, () => naiveGemm(B, 4 * H, H, stepA, whhT, stepC));
const tiledMs = time(20, () => gemmPackedScalar(B, stepA, 0, H, false, packed, stepC, 0, 4 * H, false));
const simdMs = time(20, () => gemmPacked(B, stepA, 0, H, false, packed, stepC, 0, 4 * H, false));
console.log(
  `per-step product [${B},${H}]x[${H},${4 * H}]: naive ${(naiveMs * 1000).toFixed(0)} µs (${(stepFlop / naiveMs / 1e6).toFixed(2)} GFLOP/s), ` +
    `4x4 tiled ${(tiledMs * 1000).toFixed(0)} µs (${(stepFlop / tiledMs / 1e6).toFixed(2)} GFLOP/s), ` +
    `default kernel (SIMD where supported) ${(simdMs * 1000).toFixed(0)} µs (${(stepFlop / simdMs / 1e6).toFixed(2)} GFLOP/s)`,
);

const wih = randomTensor([4 * H, D], 7).data;
const wihPacked = pack(wih, 0, 1, D, D, 4 * H);
const proj = new Float32Array(T * B * 4 * H);
const oneMs = time(3, () => gemmPacked(T * B, x.data, 0, D, false, wihPacked, proj, 0, 4 * H, false));
const perStepMs = time(3, () => {
  for (let t = 0; t < T; t++) gemmPacked(B, x.data, t * B * D, D, false, wihPacked, proj, t * B * 4 * H, 4 * H, false);
});
console.log(
  `input projection: one [${T * B},${D}]x[${D},${4 * H}] product ${oneMs.toFixed(1)} ms vs ${T} per-step products ${perStepMs.toFixed(1)} ms`,
);

const gates = randomTensor([T * B * H * 5], 8, 4).data;
const sink = new Float32Array(gates.length);
const mathMs = time(3, () => {
  for (let i = 0; i < gates.length; i += 2) {
    sink[i] = 1 / (1 + Math.exp(-gates[i]!));
    sink[i + 1] = Math.tanh(gates[i + 1]!);
  }
});
const fastMs = time(3, () => {
  for (let i = 0; i < gates.length; i += 2) {
    sink[i] = fastSigmoid(gates[i]!);
    sink[i + 1] = fastTanh(gates[i + 1]!);
  }
});
console.log(
  `${gates.length} gate nonlinearities (one W3 forward): Math.exp/Math.tanh ${mathMs.toFixed(1)} ms, fast-math ${fastMs.toFixed(1)} ms`,
);

const live = compileProgram(model, weights);
const frozen = compileProgram(model, weights, { frozen: true });
const frame = { x: { shape: [1, 1, D], data: frames.data.subarray(0, D) }, lengths: oneStep };
const liveUs = time(500, () => live.forward(frame, { record: false })) * 1000;
const frozenUs = time(500, () => frozen.forward(frame, { record: false })) * 1000;
console.log(
  `one streaming frame through the engine: weights repacked per call ${liveUs.toFixed(1)} µs, packed once (frozen) ${frozenUs.toFixed(1)} µs`,
);
