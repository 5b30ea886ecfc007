/**
 * A dense layer over a frame-stacked sequence without the stacked matrix. Row (t, b) of the stack of a
 * time-major `x [T, B, D]` is `[x[t−left, b], …, x[t+right, b]]`, so for window slot j the rows of all (t, b)
 * read `x` shifted by `(j − left)·B` rows: one contiguous view with leading dimension D. The product with the
 * stack is then a sum over the W = left+right+1 slots of products with those views:
 *
 * - forward `y = X·Wᵀ`: `y[rows of t] += x_j · (Wᵀ)[jD .. jD+D, :]`, the weight's band of D depth rows read in
 *   place from its packed form (panel stride of the whole matrix);
 * - weight gradient `dWᵀ[jD .. jD+D, :] = x_jᵀ · dz[rows of t]`: x transposed once, dz packed once, each slot
 *   a band of dz's depth rows.
 *
 * Only `x` (T·B·D floats) goes into the arena, instead of the T·B·W·D floats of the stack (written, copied in
 * for the forward, copied in again and packed for the weight gradient). Frames outside a sample's valid steps
 * read as zeros because the arena copy of `x` has its padded frames zeroed; slots that fall before 0 or after
 * T − 1 cover fewer rows.
 */
import type { PackedMatrix } from "./gemm.js";
import { type Arena, ArenaBlock } from "./wasm/arena.js";
import { gemmInArena } from "./wasm/wasm-gemm.js";

/** The window of a frame stack: `left` past and `right` future frames around each step. */
export interface WindowShape {
  readonly T: number;
  readonly B: number;
  readonly D: number;
  readonly left: number;
  readonly right: number;
}

/** Output steps `[t0, t1)` whose slot j reads a frame inside `0..T−1`. */
function slotSteps(w: WindowShape, j: number): [number, number] {
  return [Math.max(0, w.left - j), Math.min(w.T, w.T + w.left - j)];
}

/**
 * Arena buffers of one dense layer's windowed products, reused across calls (they grow, never shrink). The
 * forward keeps `x` (padded frames zeroed) in the arena for the weight gradient of the same pass.
 */
export class WindowProducts {
  #x: ArenaBlock | undefined;
  #work: ArenaBlock | undefined;
  #xPtr = 0;
  #shape: WindowShape | undefined;

  /**
   * `out [T·B, O] = stack(x) · Wᵀ` (overwritten), with `wt` the packed `Wᵀ [W·D, O]` resident in `arena`
   * (`ptr` set). `x` is `[T, B, D]` time-major; `lengths` (or none: all valid) mark its padded frames.
   * @throws RangeError when `wt` is not resident or its depth is not `(left+right+1)·D`.
   */
  forward(
    arena: Arena,
    x: Float32Array,
    lengths: Int32Array | undefined,
    w: WindowShape,
    wt: PackedMatrix,
    out: Float32Array,
  ): void {
    const { T, B, D } = w;
    const slots = w.left + w.right + 1;
    if (wt.ptr === undefined || wt.rows !== slots * D) {
      throw new RangeError(
        `WindowProducts.forward: packed weight of ${wt.rows} rows (resident: ${wt.ptr !== undefined}), ` +
          `need a resident one of ${slots}·${D} = ${slots * D}`,
      );
    }
    const O = wt.cols;
    const rows = T * B;
    if (this.#x?.arena !== arena) {
      this.#x = new ArenaBlock(arena);
      this.#work = new ArenaBlock(arena);
    }
    const xPtr = this.#x.ensure(4 * rows * D);
    const cPtr = this.#work!.ensure(4 * rows * O);
    const f32 = arena.f32;
    f32.set(x.subarray(0, rows * D), xPtr >> 2);
    if (lengths !== undefined) {
      for (let b = 0; b < B; b++) {
        for (let t = lengths[b]!; t < T; t++)
          f32.fill(0, (xPtr >> 2) + (t * B + b) * D, (xPtr >> 2) + (t * B + b + 1) * D);
      }
    }
    f32.fill(0, cPtr >> 2, (cPtr >> 2) + rows * O);
    for (let j = 0; j < slots; j++) {
      const [t0, t1] = slotSteps(w, j);
      if (t1 <= t0) continue;
      const a = xPtr + 4 * (t0 - w.left + j) * B * D;
      gemmInArena(arena, (t1 - t0) * B, D, O, a, D, wt.ptr + 16 * j * D, cPtr + 4 * t0 * B * O, O, true, 16 * wt.rows);
    }
    out.set(arena.f32.subarray(cPtr >> 2, (cPtr >> 2) + rows * O));
    this.#xPtr = xPtr;
    this.#shape = w;
  }

  /**
   * `dW [O, W·D] += dzᵀ · stack(x)` for the `x` of the last {@link WindowProducts.forward}, with `dz [T·B, O]`
   * (rows of padded steps zero).
   * @throws Error when no forward ran before, or `dz` is not `[T·B, O]` of that forward.
   */
  weightGrad(arena: Arena, dz: Float32Array, O: number, dW: Float32Array): void {
    const w = this.#shape;
    if (w === undefined || this.#x?.arena !== arena) {
      throw new Error("WindowProducts.weightGrad: no forward in this arena before the weight gradient");
    }
    const { T, B, D } = w;
    const rows = T * B;
    if (dz.length < rows * O)
      throw new RangeError(`WindowProducts.weightGrad: dz has ${dz.length} floats, need ${rows * O}`);
    const I = (w.left + w.right + 1) * D;
    const panels = (O + 3) >> 2;
    // Work block: dz as is, then packed, xᵀ, dWᵀ and dW (the last two float counts reuse dz's room when smaller).
    const dzSize = rows * O;
    const packedSize = rows * panels * 4;
    const xtSize = rows * D;
    const dwSize = I * O;
    const base = this.#work!.ensure(4 * (dzSize + packedSize + xtSize + 2 * dwSize));
    const dzPtr = base;
    const dzP = dzPtr + 4 * dzSize;
    const xT = dzP + 4 * packedSize;
    const dWT = xT + 4 * xtSize;
    const dWp = dWT + 4 * dwSize;
    const k = arena.kernels;
    let f32 = arena.f32;
    f32.set(dz.subarray(0, dzSize), dzPtr >> 2);
    f32.fill(0, dWT >> 2, (dWT >> 2) + dwSize);
    k.pack(dzPtr, O, rows, O, dzP, 16 * rows);
    k.transpose(this.#xPtr, D, rows, D, xT);
    for (let j = 0; j < w.left + w.right + 1; j++) {
      const [t0, t1] = slotSteps(w, j);
      if (t1 <= t0) continue;
      const a = xT + 4 * (t0 - w.left + j) * B;
      gemmInArena(arena, D, (t1 - t0) * B, O, a, rows, dzP + 16 * t0 * B, dWT + 4 * j * D * O, O, true, 16 * rows);
    }
    k.transpose(dWT, O, I, O, dWp);
    f32 = arena.f32;
    const p = dWp >> 2;
    for (let i = 0; i < dwSize; i++) dW[i] = dW[i]! + f32[p + i]!;
  }
}
