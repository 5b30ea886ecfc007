/**
 * A weight matrix kept packed for {@link gemmPacked}. Weights change in place during training, so a packed form
 * is rebuilt on every `get()` (one O(params) copy per pass, negligible next to the batch's work) unless the
 * program is frozen (inference), where it is built once. When the SIMD kernels are in force, the packed form
 * is also copied into their arena (`ptr`), so that products read it in place instead of copying it per call.
 */

import { type PackedMatrix, pack, packedSize } from "./gemm.js";
import { type Arena, ArenaBlock, wasmArena } from "./wasm/arena.js";

export class PackedWeight {
  #packed: PackedMatrix | undefined;
  /** Allocated by the first `get()`: a direction builds packed forms for two paths and uses one. */
  #buf: Float32Array | undefined;
  /** The arena copy, made by the first `get()` that finds the SIMD kernels in force after a (re)pack. */
  #block: ArenaBlock | undefined;
  #resident: PackedMatrix | undefined;

  private constructor(
    private readonly src: Float32Array,
    private readonly off: number,
    private readonly rowStride: number,
    private readonly colStride: number,
    private readonly K: number,
    private readonly N: number,
    private readonly frozen: boolean,
  ) {}

  /**
   * The transpose of the row-major block `W[off ..]` of shape `[N, K]`: packs `Wᵀ [K, N]`, the operand of
   * `x · Wᵀ` (a layer's forward).
   */
  static transposed(W: Float32Array, off: number, N: number, K: number, frozen: boolean): PackedWeight {
    return new PackedWeight(W, off, 1, K, K, N, frozen);
  }

  /** The row-major block `W[off ..]` of shape `[K, N]` as is: the operand of `dy · W` (a layer's backward). */
  static plain(W: Float32Array, off: number, K: number, N: number, frozen: boolean): PackedWeight {
    return new PackedWeight(W, off, N, 1, K, N, frozen);
  }

  /**
   * The packed matrix, rebuilt from the live weights unless frozen and already built; with `ptr` set when the
   * SIMD kernels are in force (`arena`, default the shared one).
   */
  get(arena: Arena | undefined = wasmArena()): PackedMatrix {
    if (this.#packed === undefined || !this.frozen) {
      this.#buf ??= new Float32Array(packedSize(this.K, this.N));
      this.#packed = pack(this.src, this.off, this.rowStride, this.colStride, this.K, this.N, this.#buf);
      this.#resident = undefined;
    }
    if (arena === undefined) return this.#packed;
    // A copy in another arena (the product kernel was switched) does not count.
    if (this.#resident === undefined || this.#block?.arena !== arena) {
      if (this.#block?.arena !== arena) this.#block = new ArenaBlock(arena);
      const buf = this.#packed.data;
      const ptr = this.#block.ensure(4 * buf.length);
      arena.f32.set(buf, ptr >> 2);
      this.#resident = { ...this.#packed, ptr };
    }
    return this.#resident;
  }
}
