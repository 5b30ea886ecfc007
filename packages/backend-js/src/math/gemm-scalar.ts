/**
 * The scalar kernel behind {@link gemmPacked}: a 4×4 register-tiled micro-kernel over the packed panels, with
 * cache blocking over rows (MC) and depth (KC) and float64 accumulation (JS numbers), so results are at least
 * as accurate as a float32 BLAS. The fallback where WebAssembly SIMD is missing (see gemm.ts).
 */
import type { PackedMatrix } from "./gemm.js";

const MC = 64;
const KC = 256;

/** {@link gemmPacked} on the scalar 4×4 kernel (float64 accumulation), whatever the kernel mode. */
export function gemmPackedScalar(
  M: number,
  A: Float32Array,
  aOff: number,
  lda: number,
  transA: boolean,
  B: PackedMatrix,
  C: Float32Array,
  cOff: number,
  ldc: number,
  accumulate: boolean,
): void {
  const K = B.rows;
  const N = B.cols;
  if (K === 0) {
    if (!accumulate) for (let i = 0; i < M; i++) C.fill(0, cOff + i * ldc, cOff + i * ldc + N);
    return;
  }
  const panels = (N + 3) >> 2;
  for (let k0 = 0; k0 < K; k0 += KC) {
    const k1 = Math.min(K, k0 + KC);
    const acc = accumulate || k0 > 0;
    for (let i0 = 0; i0 < M; i0 += MC) {
      const i1 = Math.min(M, i0 + MC);
      for (let p = 0; p < panels; p++) {
        const j = p * 4;
        const nValid = Math.min(4, N - j);
        const bBase = p * K * 4 + k0 * 4;
        if (transA) tileT(A, aOff, lda, B.data, bBase, C, cOff + j, ldc, i0, i1, k0, k1, nValid, acc);
        else tileN(A, aOff, lda, B.data, bBase, C, cOff + j, ldc, i0, i1, k0, k1, nValid, acc);
      }
    }
  }
}

function tileN(
  A: Float32Array,
  aOff: number,
  lda: number,
  Bd: Float32Array,
  bBase: number,
  C: Float32Array,
  cOff: number,
  ldc: number,
  i0: number,
  i1: number,
  k0: number,
  k1: number,
  nValid: number,
  acc: boolean,
): void {
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    let c00 = 0,
      c01 = 0,
      c02 = 0,
      c03 = 0,
      c10 = 0,
      c11 = 0,
      c12 = 0,
      c13 = 0;
    let c20 = 0,
      c21 = 0,
      c22 = 0,
      c23 = 0,
      c30 = 0,
      c31 = 0,
      c32 = 0,
      c33 = 0;
    let pa0 = aOff + i * lda + k0;
    let pa1 = pa0 + lda;
    let pa2 = pa1 + lda;
    let pa3 = pa2 + lda;
    let pb = bBase;
    for (let k = k0; k < k1; k++) {
      const b0 = Bd[pb]!,
        b1 = Bd[pb + 1]!,
        b2 = Bd[pb + 2]!,
        b3 = Bd[pb + 3]!;
      pb += 4;
      const a0 = A[pa0++]!;
      c00 += a0 * b0;
      c01 += a0 * b1;
      c02 += a0 * b2;
      c03 += a0 * b3;
      const a1 = A[pa1++]!;
      c10 += a1 * b0;
      c11 += a1 * b1;
      c12 += a1 * b2;
      c13 += a1 * b3;
      const a2 = A[pa2++]!;
      c20 += a2 * b0;
      c21 += a2 * b1;
      c22 += a2 * b2;
      c23 += a2 * b3;
      const a3 = A[pa3++]!;
      c30 += a3 * b0;
      c31 += a3 * b1;
      c32 += a3 * b2;
      c33 += a3 * b3;
    }
    const cp = cOff + i * ldc;
    store(C, cp, nValid, acc, c00, c01, c02, c03);
    store(C, cp + ldc, nValid, acc, c10, c11, c12, c13);
    store(C, cp + 2 * ldc, nValid, acc, c20, c21, c22, c23);
    store(C, cp + 3 * ldc, nValid, acc, c30, c31, c32, c33);
  }
  for (; i < i1; i++) {
    let c0 = 0,
      c1 = 0,
      c2 = 0,
      c3 = 0;
    let pa = aOff + i * lda + k0;
    let pb = bBase;
    for (let k = k0; k < k1; k++) {
      const a = A[pa++]!;
      c0 += a * Bd[pb]!;
      c1 += a * Bd[pb + 1]!;
      c2 += a * Bd[pb + 2]!;
      c3 += a * Bd[pb + 3]!;
      pb += 4;
    }
    store(C, cOff + i * ldc, nValid, acc, c0, c1, c2, c3);
  }
}

function tileT(
  A: Float32Array,
  aOff: number,
  lda: number,
  Bd: Float32Array,
  bBase: number,
  C: Float32Array,
  cOff: number,
  ldc: number,
  i0: number,
  i1: number,
  k0: number,
  k1: number,
  nValid: number,
  acc: boolean,
): void {
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    let c00 = 0,
      c01 = 0,
      c02 = 0,
      c03 = 0,
      c10 = 0,
      c11 = 0,
      c12 = 0,
      c13 = 0;
    let c20 = 0,
      c21 = 0,
      c22 = 0,
      c23 = 0,
      c30 = 0,
      c31 = 0,
      c32 = 0,
      c33 = 0;
    let pa = aOff + k0 * lda + i;
    let pb = bBase;
    for (let k = k0; k < k1; k++) {
      const b0 = Bd[pb]!,
        b1 = Bd[pb + 1]!,
        b2 = Bd[pb + 2]!,
        b3 = Bd[pb + 3]!;
      pb += 4;
      const a0 = A[pa]!;
      c00 += a0 * b0;
      c01 += a0 * b1;
      c02 += a0 * b2;
      c03 += a0 * b3;
      const a1 = A[pa + 1]!;
      c10 += a1 * b0;
      c11 += a1 * b1;
      c12 += a1 * b2;
      c13 += a1 * b3;
      const a2 = A[pa + 2]!;
      c20 += a2 * b0;
      c21 += a2 * b1;
      c22 += a2 * b2;
      c23 += a2 * b3;
      const a3 = A[pa + 3]!;
      c30 += a3 * b0;
      c31 += a3 * b1;
      c32 += a3 * b2;
      c33 += a3 * b3;
      pa += lda;
    }
    const cp = cOff + i * ldc;
    store(C, cp, nValid, acc, c00, c01, c02, c03);
    store(C, cp + ldc, nValid, acc, c10, c11, c12, c13);
    store(C, cp + 2 * ldc, nValid, acc, c20, c21, c22, c23);
    store(C, cp + 3 * ldc, nValid, acc, c30, c31, c32, c33);
  }
  for (; i < i1; i++) {
    let c0 = 0,
      c1 = 0,
      c2 = 0,
      c3 = 0;
    let pa = aOff + k0 * lda + i;
    let pb = bBase;
    for (let k = k0; k < k1; k++) {
      const a = A[pa]!;
      c0 += a * Bd[pb]!;
      c1 += a * Bd[pb + 1]!;
      c2 += a * Bd[pb + 2]!;
      c3 += a * Bd[pb + 3]!;
      pb += 4;
      pa += lda;
    }
    store(C, cOff + i * ldc, nValid, acc, c0, c1, c2, c3);
  }
}

function store(
  C: Float32Array,
  cp: number,
  n: number,
  acc: boolean,
  c0: number,
  c1: number,
  c2: number,
  c3: number,
): void {
  if (acc) {
    C[cp] = C[cp]! + c0;
    if (n > 1) C[cp + 1] = C[cp + 1]! + c1;
    if (n > 2) C[cp + 2] = C[cp + 2]! + c2;
    if (n > 3) C[cp + 3] = C[cp + 3]! + c3;
  } else {
    C[cp] = c0;
    if (n > 1) C[cp + 1] = c1;
    if (n > 2) C[cp + 2] = c2;
    if (n > 3) C[cp + 3] = c3;
  }
}
