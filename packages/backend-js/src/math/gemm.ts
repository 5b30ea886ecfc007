/**
 * Register-tiled matrix product on Float32Array: a 4×4 micro-kernel over a right operand packed once into
 * panels of 4 columns, with cache blocking over rows (MC) and depth (KC). Accumulation is in float64 (JS
 * numbers), so results are at least as accurate as a float32 BLAS.
 *
 * Operands are addressed with offsets and leading dimensions instead of views, so that callers in a time loop
 * never allocate (`subarray` creates an object).
 *
 * Where WebAssembly SIMD is available, `gemmPacked` and `gemm` run on the f32x4 kernel of wasm/kernels.wat
 * instead (float32 accumulation, 4×8 tiles); these scalar loops are the fallback (`setKernelMode("scalar")`).
 */
import { type Arena, ArenaBlock, wasmArena } from "./wasm/arena.js";
import { wasmGemmPacked } from "./wasm/wasm-gemm.js";

/** A right operand `[K, N]` packed in panels of 4 columns: element (k, j) at `data[(j >> 2)·K·4 + k·4 + (j & 3)]`. */
export interface PackedMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float32Array;
  /** Byte address of an identical copy in the SIMD kernels' arena (packed-weight.ts keeps one), if any. */
  readonly ptr?: number;
}

const MC = 64;
const KC = 256;

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
