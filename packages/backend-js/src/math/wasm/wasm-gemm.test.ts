import { setFlagsFromString } from "node:v8";
import { describe, expect, test } from "vitest";
import { pack } from "../gemm.js";
import { PackedWeight } from "../packed-weight.js";
import { Arena, instantiateKernels } from "./arena.js";
import { relaxedSimdSupported, simdSupported } from "./simd-support.js";
import { gemmInArena, wasmGemmPacked } from "./wasm-gemm.js";

/** Deterministic values in [-1, 1) (a small LCG, independent of the code under test). */
function filled(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** The float64 reference C = op(A)·B (+ C0), A [M, K] (or [K, M] when transA), B [K, N], all dense. */
function naive(M: number, N: number, K: number, A: Float32Array, transA: boolean, B: Float32Array, C0?: Float32Array) {
  const C = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = C0 ? C0[i * N + j]! : 0;
      for (let k = 0; k < K; k++) s += (transA ? A[k * M + i]! : A[i * K + k]!) * B[k * N + j]!;
      C[i * N + j] = s;
    }
  }
  return C;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

// Node 20 has relaxed SIMD (the fused multiply-add kernel) behind a flag; this file runs in its own process.
setFlagsFromString("--experimental-wasm-relaxed-simd");

// Node ≥ 16.4 has WebAssembly SIMD; a runtime without it only runs the fallback tests (simd-support.test.ts).
describe.skipIf(!simdSupported()).each([
  { kernel: "simd", fma: false },
  { kernel: "fma", fma: true },
])("SIMD matrix product ($kernel) vs a float64 reference", ({ fma }) => {
  if (fma && !relaxedSimdSupported()) throw new Error("relaxed SIMD is off even with the V8 flag");
  const arena = new Arena(instantiateKernels({ fma }), fma ? "fma" : "simd");
  // Awkward shapes: tails of the 4-row and 8-column tiles, single rows / columns, K = 1, zero dims, and
  // blocks of 64 rows (MC) and 256 depths (KC) crossed.
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [1, 37, 5],
    [37, 1, 5],
    [6, 9, 1],
    [3, 5, 7],
    [4, 8, 4],
    [5, 12, 3],
    [7, 13, 300],
    [70, 6, 33],
    [130, 21, 520],
    [32, 512, 128],
    [0, 4, 4],
    [4, 0, 4],
  ];
  for (const [M, N, K] of shapes) {
    for (const transA of [false, true]) {
      test(`M=${M} N=${N} K=${K} transA=${transA}`, () => {
        const A = filled(M * K, 1 + M);
        const B = filled(K * N, 2 + N);
        const C = new Float32Array(M * N).fill(Number.NaN); // overwritten, so old contents must not leak
        wasmGemmPacked(arena, M, A, 0, transA ? M : K, transA, pack(B, 0, N, 1, K, N), C, 0, N, false);
        const ref = naive(M, N, K, A, transA, B);
        expect(maxAbsDiff(C, ref)).toBeLessThan(2e-6 * Math.sqrt(K + 1));
      });
    }
  }

  test("K = 0 writes zeros, or leaves C alone when accumulating", () => {
    const C = new Float32Array([1, 2, 3, 4]);
    const empty = pack(new Float32Array(0), 0, 2, 1, 0, 2);
    wasmGemmPacked(arena, 2, new Float32Array(0), 0, 0, false, empty, C, 0, 2, true);
    expect([...C]).toEqual([1, 2, 3, 4]);
    wasmGemmPacked(arena, 2, new Float32Array(0), 0, 0, false, empty, C, 0, 2, false);
    expect([...C]).toEqual([0, 0, 0, 0]);
  });

  test("accumulate adds into C across depth blocks", () => {
    const [M, N, K] = [9, 11, 600];
    const A = filled(M * K, 3);
    const B = filled(K * N, 4);
    const C0 = filled(M * N, 5);
    const C = C0.slice();
    wasmGemmPacked(arena, M, A, 0, K, false, pack(B, 0, N, 1, K, N), C, 0, N, true);
    expect(maxAbsDiff(C, naive(M, N, K, A, false, B, C0))).toBeLessThan(1e-4);
  });

  test("offsets and leading dimensions leave the rest of A's and C's buffers untouched", () => {
    // op(A) is 5×3 inside a [5, 7] buffer at column 2; C is 5×6 at column 1 of a [5, 9] buffer.
    const [M, N, K] = [5, 6, 3];
    const Abuf = filled(35, 6);
    const A = new Float32Array(M * K);
    for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) A[i * K + k] = Abuf[i * 7 + 2 + k]!;
    const B = filled(K * N, 7);
    const C = new Float32Array(45).fill(9);
    wasmGemmPacked(arena, M, Abuf, 2, 7, false, pack(B, 0, N, 1, K, N), C, 1, 9, false);
    const ref = naive(M, N, K, A, false, B);
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < 9; j++) {
        const v = C[i * 9 + j]!;
        if (j >= 1 && j <= N) expect(Math.abs(v - ref[i * N + j - 1]!)).toBeLessThan(1e-6);
        else expect(v).toBe(9);
      }
    }
  });

  test("a packed weight resident in the arena is read in place and matches x·Wᵀ", () => {
    const [M, N, K] = [10, 19, 23];
    const W = filled(N * K, 8); // [N, K], used transposed
    const x = filled(M * K, 9);
    const packed = PackedWeight.transposed(W, 0, N, K, true).get(arena);
    expect(packed.ptr).toBeGreaterThan(0);
    const Wt = new Float32Array(K * N);
    for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) Wt[k * N + n] = W[n * K + k]!;
    // The JavaScript copy is garbage now: only the arena copy may be read.
    packed.data.fill(Number.NaN);
    const C = new Float32Array(M * N);
    wasmGemmPacked(arena, M, x, 0, K, false, packed, C, 0, N, false);
    expect(maxAbsDiff(C, naive(M, N, K, x, false, Wt))).toBeLessThan(1e-5);
  });

  test("gemmInArena on operands placed in the arena by hand", () => {
    const [M, N, K] = [6, 10, 4];
    const A = filled(M * K, 10);
    const B = filled(K * N, 11);
    const packed = pack(B, 0, N, 1, K, N);
    const a = arena.alloc(4 * A.length);
    const b = arena.alloc(4 * packed.data.length);
    const c = arena.alloc(4 * M * N);
    arena.f32.set(A, a >> 2);
    arena.f32.set(packed.data, b >> 2);
    gemmInArena(arena, M, K, N, a, K, b, c, N, false);
    const C = arena.f32.slice(c >> 2, (c >> 2) + M * N);
    expect(maxAbsDiff(C, naive(M, N, K, A, false, B))).toBeLessThan(1e-5);
  });
});
