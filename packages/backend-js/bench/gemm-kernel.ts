/**
 * The matrix product alone at the shapes of an LSTM train step (H=128, D=39, B=32, T=100): scalar 4×4 vs the
 * SIMD kernel. Reports GFLOP/s of process CPU time (less sensitive to a loaded machine than wall time) and wall.
 * Run: cd packages/backend-js && /work/main/node_modules/.bin/tsx --conditions=@recurrent/source bench/gemm-kernel.ts
 */
import { gemm, gemmPacked, pack } from "../src/math/gemm.js";
import { PackedWeight } from "../src/math/packed-weight.js";
import { type KernelMode, setKernelMode } from "../src/math/wasm/simd-support.js";

function filled(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** [name, M, N, K, transA, prepacked weight] */
const shapes: [string, number, number, number, boolean, boolean][] = [
  ["per-step h·W_hhᵀ", 32, 512, 128, false, true],
  ["input projection x·W_ihᵀ", 3200, 512, 39, false, true],
  ["dW_hh = dGᵀ·h", 512, 128, 3200, true, false],
  ["streaming h·W_hhᵀ (B=1)", 1, 512, 128, false, true],
];

for (const [name, M, N, K, transA, prepacked] of shapes) {
  const A = filled(M * K, 1);
  const Bm = filled(K * N, 2);
  const C = new Float32Array(M * N);
  const flop = 2 * M * N * K;
  const reps = Math.max(3, Math.round(2e9 / flop / 10));
  const line: string[] = [];
  for (const mode of ["scalar", "auto"] as KernelMode[]) {
    setKernelMode(mode);
    const W = PackedWeight.transposed(Bm, 0, N, K, true);
    const packed = prepacked ? W.get() : pack(Bm, 0, N, 1, K, N);
    const run = () => {
      if (prepacked) gemmPacked(M, A, 0, K, transA, packed, C, 0, N, false);
      else gemm(M, N, K, A, 0, transA ? M : K, transA, Bm, 0, N, false, C, 0, N, false);
    };
    for (let i = 0; i < Math.max(2, reps >> 2); i++) run();
    let best = Number.POSITIVE_INFINITY;
    let bestWall = Number.POSITIVE_INFINITY;
    for (let r = 0; r < 5; r++) {
      const c0 = cpuMs();
      const w0 = performance.now();
      for (let i = 0; i < reps; i++) run();
      best = Math.min(best, (cpuMs() - c0) / reps);
      bestWall = Math.min(bestWall, (performance.now() - w0) / reps);
    }
    line.push(
      `${mode === "scalar" ? "scalar" : "wasm"} ${(flop / best / 1e6).toFixed(1)} GFLOP/s cpu (${(flop / bestWall / 1e6).toFixed(1)} wall)`,
    );
  }
  console.log(`${name} [${M},${K}]x[${K},${N}]: ${line.join(", ")}`);
}

// What keeping the packed weight in the arena buys: h·W_hhᵀ with W_hhᵀ read in place vs copied in per call.
for (const M of [32, 1]) {
  const [N, K] = [512, 128];
  const A = filled(M * K, 1);
  const C = new Float32Array(M * N);
  setKernelMode("auto");
  const resident = PackedWeight.transposed(filled(N * K, 2), 0, N, K, true).get();
  const copied = { rows: resident.rows, cols: resident.cols, data: resident.data };
  const timeUs = (B: typeof resident) => {
    for (let i = 0; i < 200; i++) gemmPacked(M, A, 0, K, false, B, C, 0, N, false);
    let best = Number.POSITIVE_INFINITY;
    for (let r = 0; r < 5; r++) {
      const c0 = cpuMs();
      for (let i = 0; i < 500; i++) gemmPacked(M, A, 0, K, false, B, C, 0, N, false);
      best = Math.min(best, ((cpuMs() - c0) / 500) * 1000);
    }
    return best;
  };
  const a = timeUs(copied);
  const b = timeUs(resident);
  console.log(
    `[${M},${K}]x[${K},${N}], W_hhᵀ copied into the arena per call ${a.toFixed(1)} µs cpu, resident ${b.toFixed(1)} µs cpu`,
  );
}
