/**
 * The matrix product on the SIMD kernel: `C[M, N] (+)= op(A)[M, K] · B[K, N]` with B packed (math/gemm.ts
 * layout). A packed weight that lives in the arena (`ptr`) is used in place; everything else is copied into a
 * scratch block per call: A's rows (transposed there by the kernel when `transA`) and C's rows, in and out.
 * Those copies are O(M·K + M·N) next to the product's O(M·N·K).
 */
import type { PackedMatrix } from "../gemm.js";
import { type Arena, ArenaBlock } from "./arena.js";

/** Row and depth blocking: a 64-row block of A stays in L1/L2 while the packed panels of one depth block stream. */
const MC = 64;
const KC = 256;

const scratchOf = new WeakMap<Arena, ArenaBlock>();

function scratch(arena: Arena, bytes: number): number {
  let block = scratchOf.get(arena);
  if (block === undefined) {
    block = new ArenaBlock(arena);
    scratchOf.set(arena, block);
  }
  return block.ensure(bytes);
}

/**
 * Runs the blocked product on operands already in the arena (byte addresses; strides in floats). `bs` is the
 * panel stride of the packed B in bytes: `16·K` when B is a whole packed matrix, that of the full matrix when B
 * is a band of depth rows out of a larger one (then `b` points at the band's first row). K ≥ 1.
 */
export function gemmInArena(
  arena: Arena,
  M: number,
  K: number,
  N: number,
  a: number,
  lda: number,
  b: number,
  c: number,
  ldc: number,
  accumulate: boolean,
  bs: number = 16 * K,
): void {
  const gemm = arena.kernels.gemm;
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = Math.min(KC, K - k0);
    const acc = accumulate || k0 > 0 ? 1 : 0;
    for (let i0 = 0; i0 < M; i0 += MC) {
      gemm(Math.min(MC, M - i0), kc, N, a + 4 * (i0 * lda + k0), lda, b + 16 * k0, bs, c + 4 * i0 * ldc, ldc, acc);
    }
  }
}

/**
 * {@link import("../gemm.js").gemmPacked} on the SIMD kernel (same arguments and semantics; float32
 * accumulation). Allocates nothing in steady state besides the views it passes to `set`.
 */
export function wasmGemmPacked(
  arena: Arena,
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
  if (M === 0 || N === 0) return;
  if (K === 0) {
    if (!accumulate) for (let i = 0; i < M; i++) C.fill(0, cOff + i * ldc, cOff + i * ldc + N);
    return;
  }
  // A's span: M rows of K (lda apart), or K rows of M when transposed.
  const aSpan = transA ? (K - 1) * lda + M : (M - 1) * lda + K;
  const cSpan = (M - 1) * ldc + N;
  const bSize = B.ptr === undefined ? K * (((N + 3) >> 2) << 2) : 0;
  const tSize = transA ? M * K : 0;
  const base = scratch(arena, 4 * (aSpan + cSpan + bSize + tSize));
  const f32 = arena.f32;
  const aPtr = base;
  const cPtr = aPtr + 4 * aSpan;
  let bPtr = cPtr + 4 * cSpan;
  const tPtr = bPtr + 4 * bSize;
  f32.set(A.subarray(aOff, aOff + aSpan), aPtr >> 2);
  // Gaps between C's rows must survive the copy back, so C comes in unless it is dense and overwritten.
  if (accumulate || ldc !== N) f32.set(C.subarray(cOff, cOff + cSpan), cPtr >> 2);
  if (B.ptr === undefined) f32.set(B.data.subarray(0, bSize), bPtr >> 2);
  else bPtr = B.ptr;
  let a = aPtr;
  let ldA = lda;
  if (transA) {
    arena.kernels.transpose(aPtr, lda, K, M, tPtr);
    a = tPtr;
    ldA = K;
  }
  gemmInArena(arena, M, K, N, a, ldA, bPtr, cPtr, ldc, accumulate);
  C.set(f32.subarray(cPtr >> 2, (cPtr >> 2) + cSpan), cOff);
}
