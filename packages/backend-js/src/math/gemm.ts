/**
 * Matrix product on Float32Array over a right operand packed once into panels of 4 columns. Where WebAssembly
 * SIMD is available, `gemmPacked` and `gemm` run on the f32x4 4×8 kernel of wasm/kernels.wat (float32
 * accumulation); elsewhere, or after `setKernelMode("scalar")`, on the 4×4 scalar kernel of gemm-scalar.ts
 * (float64 accumulation).
 *
 * Operands are addressed with offsets and leading dimensions instead of views, so that callers in a time loop
 * never allocate (`subarray` creates an object).
 */

import { gemmPackedScalar } from "./gemm-scalar.js";
import { type Arena, ArenaBlock, wasmArena } from "./wasm/arena.js";
import { wasmGemmPacked } from "./wasm/wasm-gemm.js";

export { gemmPackedScalar };

/** A right operand `[K, N]` packed in panels of 4 columns: element (k, j) at `data[(j >> 2)·K·4 + k·4 + (j & 3)]`. */
export interface PackedMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float32Array;
  /** Byte address of an identical copy in the SIMD kernels' arena (packed-weight.ts keeps one), if any. */
  readonly ptr?: number;
}

/** Floats needed to pack a `[K, N]` operand. */
export function packedSize(K: number, N: number): number {
  return K * (((N + 3) >> 2) << 2);
}

/**
 * Packs the `[K, N]` matrix whose element (k, j) is `src[off + k·rowStride + j·colStride]`. A weight `W [N, K]`
 * used as `Wᵀ` is `pack(W, 0, 1, K, K, N)`; a row-major `[K, N]` matrix is `pack(M, 0, N, 1, K, N)`.
 * @param out reused when it has room (`packedSize(K, N)` floats); else a new array is allocated.
 * @throws RangeError when `out` is too small.
 */
export function pack(
  src: Float32Array,
  off: number,
  rowStride: number,
  colStride: number,
  K: number,
  N: number,
  out?: Float32Array,
): PackedMatrix {
  const size = packedSize(K, N);
  const data = out ?? new Float32Array(size);
  if (data.length < size) throw new RangeError(`pack: buffer of ${data.length} floats, need ${size}`);
  const panels = (N + 3) >> 2;
  for (let p = 0; p < panels; p++) {
    const base = p * K * 4;
    for (let jj = 0; jj < 4; jj++) {
      const j = p * 4 + jj;
      if (j >= N) {
        for (let k = 0; k < K; k++) data[base + k * 4 + jj] = 0;
        continue;
      }
      let s = off + j * colStride;
      for (let k = 0; k < K; k++, s += rowStride) data[base + k * 4 + jj] = src[s]!;
    }
  }
  return { rows: K, cols: N, data };
}

/**
 * `C[M, N] (+)= op(A)[M, K] · B[K, N]` with B packed. Element (i, k) of op(A) is `A[aOff + i·lda + k]`, or
 * `A[aOff + k·lda + i]` when `transA`. C is row-major with leading dimension `ldc`.
 * @param accumulate add into C instead of overwriting it.
 */
export function gemmPacked(
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
  const arena = wasmArena();
  if (arena !== undefined) {
    wasmGemmPacked(arena, M, A, aOff, lda, transA, B, C, cOff, ldc, accumulate);
    return;
  }
  gemmPackedScalar(M, A, aOff, lda, transA, B, C, cOff, ldc, accumulate);
}

/** Reusable packing buffer for {@link gemm}: grows on demand, never shrinks. */
export class PackScratch {
  #buf = new Float32Array(0);
  /** A buffer of at least `size` floats. */
  get(size: number): Float32Array {
    if (this.#buf.length < size) this.#buf = new Float32Array(size);
    return this.#buf;
  }
}

/**
 * General `C[M, N] (+)= op(A)[M, K] · op(B)[K, N]`, all row-major with leading dimensions. op(B) element (k, j)
 * is `B[bOff + k·ldb + j]`, or `B[bOff + j·ldb + k]` when `transB`. Packs B into `scratch` (allocates when none).
 */
export function gemm(
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  aOff: number,
  lda: number,
  transA: boolean,
  B: Float32Array,
  bOff: number,
  ldb: number,
  transB: boolean,
  C: Float32Array,
  cOff: number,
  ldc: number,
  accumulate: boolean,
  scratch?: PackScratch,
): void {
  const arena = wasmArena();
  if (arena !== undefined) {
    // Pack straight into the arena: the kernel then reads B in place. A row-major B is copied in as is and
    // packed by the kernel (contiguous reads); a transposed one is gathered here.
    const size = packedSize(K, N);
    const span = transB || K === 0 ? 0 : (K - 1) * ldb + N;
    const ptr = packBlock(arena).ensure(4 * (size + span));
    const f32 = arena.f32;
    const packed = { rows: K, cols: N, data: f32.subarray(ptr >> 2, (ptr >> 2) + size), ptr };
    if (transB) pack(B, bOff, 1, ldb, K, N, packed.data);
    else if (span > 0) {
      const raw = ptr + 4 * size;
      f32.set(B.subarray(bOff, bOff + span), raw >> 2);
      arena.kernels.pack(raw, ldb, K, N, ptr, 16 * K);
    }
    wasmGemmPacked(arena, M, A, aOff, lda, transA, packed, C, cOff, ldc, accumulate);
    return;
  }
  const buf = scratch ? scratch.get(packedSize(K, N)) : undefined;
  const packed = transB ? pack(B, bOff, 1, ldb, K, N, buf) : pack(B, bOff, ldb, 1, K, N, buf);
  gemmPackedScalar(M, A, aOff, lda, transA, packed, C, cOff, ldc, accumulate);
}

const packBlocks = new WeakMap<Arena, ArenaBlock>();

function packBlock(arena: Arena): ArenaBlock {
  let block = packBlocks.get(arena);
  if (block === undefined) {
    block = new ArenaBlock(arena);
    packBlocks.set(arena, block);
  }
  return block;
}

/** Adds `bias[N]` to each of the M rows of C (leading dimension `ldc`). */
export function addRowBias(C: Float32Array, cOff: number, M: number, N: number, ldc: number, bias: Float32Array): void {
  for (let i = 0; i < M; i++) {
    const row = cOff + i * ldc;
    for (let j = 0; j < N; j++) C[row + j] = C[row + j]! + bias[j]!;
  }
}

/** `out[j] (+)= Σ_i A[aOff + i·lda + j]` for j < N: the bias gradient of M rows. */
export function sumRows(
  A: Float32Array,
  aOff: number,
  M: number,
  N: number,
  lda: number,
  out: Float32Array,
  outOff = 0,
): void {
  let i = 0;
  // Four rows per pass: a quarter of the read-modify-writes of `out` (this is a bias gradient over T·B rows).
  for (; i + 4 <= M; i += 4) {
    const r0 = aOff + i * lda;
    const r1 = r0 + lda;
    const r2 = r1 + lda;
    const r3 = r2 + lda;
    for (let j = 0; j < N; j++) {
      out[outOff + j] = out[outOff + j]! + (A[r0 + j]! + A[r1 + j]! + (A[r2 + j]! + A[r3 + j]!));
    }
  }
  for (; i < M; i++) {
    const row = aOff + i * lda;
    for (let j = 0; j < N; j++) out[outOff + j] = out[outOff + j]! + A[row + j]!;
  }
}
