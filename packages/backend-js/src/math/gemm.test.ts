import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { addRowBias, gemm, gemmPacked, PackScratch, pack, sumRows } from "./gemm.js";
import { type KernelMode, setKernelMode } from "./wasm/simd-support.js";

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

/** The float64 reference: C = op(A)·op(B) (+ C0). */
function naive(
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  transA: boolean,
  B: Float32Array,
  transB: boolean,
  C0?: Float32Array,
): Float64Array {
  const C = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = C0 ? C0[i * N + j]! : 0;
      for (let k = 0; k < K; k++) {
        const a = transA ? A[k * M + i]! : A[i * K + k]!;
        const b = transB ? B[j * K + k]! : B[k * N + j]!;
        s += a * b;
      }
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

// Every case runs on the scalar kernel and on whatever "auto" picks (the SIMD kernel where supported).
describe.each(["scalar", "auto"] as KernelMode[])("gemm, kernel mode %s", (mode) => {
  beforeAll(() => setKernelMode(mode));
  afterAll(() => setKernelMode("auto"));
  const sizes: [number, number, number][] = [
    [1, 1, 1],
    [3, 5, 7],
    [4, 4, 4],
    [9, 13, 300], // K crosses a depth block, N and M have tails
    [70, 6, 33], // M crosses a row block
    [32, 512, 128], // the per-step LSTM shape
    [5, 0, 3],
  ];
  for (const [M, N, K] of sizes) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        test(`M=${M} N=${N} K=${K} transA=${transA} transB=${transB} matches float64`, () => {
          const A = filled(M * K, 1 + M);
          const B = filled(K * N, 2 + N);
          const C = new Float32Array(M * N);
          gemm(M, N, K, A, 0, transA ? M : K, transA, B, 0, transB ? K : N, transB, C, 0, N, false);
          expect(maxAbsDiff(C, naive(M, N, K, A, transA, B, transB))).toBeLessThan(1e-5 * Math.sqrt(K + 1));
        });
      }
    }
  }

  test("accumulate adds into C; overwrite ignores its old content", () => {
    const [M, N, K] = [6, 7, 5];
    const A = filled(M * K, 3);
    const B = filled(K * N, 4);
    const C0 = filled(M * N, 5);
    const acc = C0.slice();
    gemm(M, N, K, A, 0, K, false, B, 0, N, false, acc, 0, N, true);
    expect(maxAbsDiff(acc, naive(M, N, K, A, false, B, false, C0))).toBeLessThan(1e-5);
    const over = C0.slice();
    gemm(M, N, K, A, 0, K, false, B, 0, N, false, over, 0, N, false);
    expect(maxAbsDiff(over, naive(M, N, K, A, false, B, false))).toBeLessThan(1e-5);
  });

  test("K = 0 gives zeros, or leaves C when accumulating", () => {
    const C = new Float32Array([1, 2, 3, 4]);
    gemm(2, 2, 0, new Float32Array(0), 0, 0, false, new Float32Array(0), 0, 2, false, C, 0, 2, true);
    expect([...C]).toEqual([1, 2, 3, 4]);
    gemm(2, 2, 0, new Float32Array(0), 0, 0, false, new Float32Array(0), 0, 2, false, C, 0, 2, false);
    expect([...C]).toEqual([0, 0, 0, 0]);
  });

  test("offsets and leading dimensions address sub-matrices without touching the rest", () => {
    // A is the right 3 columns of a [4, 5] buffer; C is the middle of a [4, 6] buffer.
    const Abuf = filled(20, 7);
    const A = new Float32Array(12);
    for (let i = 0; i < 4; i++) for (let k = 0; k < 3; k++) A[i * 3 + k] = Abuf[i * 5 + 2 + k]!;
    const W = filled(2 * 3, 8); // [N=2, K=3] used transposed
    const C = new Float32Array(24).fill(9);
    const packed = pack(W, 0, 1, 3, 3, 2);
    gemmPacked(4, Abuf, 2, 5, false, packed, C, 1, 6, false);
    const ref = naive(4, 2, 3, A, false, W, true);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 6; j++) {
        const v = C[i * 6 + j]!;
        if (j === 1 || j === 2) expect(Math.abs(v - ref[i * 2 + j - 1]!)).toBeLessThan(1e-6);
        else expect(v).toBe(9);
      }
    }
  });

  test("scratch is reused and grows when needed", () => {
    const scratch = new PackScratch();
    const small = scratch.get(8);
    expect(scratch.get(4)).toBe(small);
    expect(scratch.get(100).length).toBeGreaterThanOrEqual(100);
  });

  test("addRowBias and sumRows", () => {
    const C = new Float32Array([1, 2, 3, 4, 5, 6]);
    addRowBias(C, 0, 2, 3, 3, new Float32Array([10, 20, 30]));
    expect([...C]).toEqual([11, 22, 33, 14, 25, 36]);
    const out = new Float32Array([1, 1, 1]);
    sumRows(C, 0, 2, 3, 3, out);
    expect([...out]).toEqual([26, 48, 70]);
  });

  test("sumRows over 4-row passes and a tail, with a leading dimension and an output offset", () => {
    // 7 rows of [i, 10·i, 100·i] inside rows of 4 (the 4th column must be ignored): sums are exact integers.
    const A = new Float32Array(7 * 4);
    for (let i = 0; i < 7; i++) A.set([i + 1, 10 * (i + 1), 100 * (i + 1), 999], i * 4);
    const out = new Float32Array([5, 1, 2, 3]);
    sumRows(A, 0, 7, 3, 4, out, 1);
    expect([...out]).toEqual([5, 1 + 28, 2 + 280, 3 + 2800]);
  });
});
