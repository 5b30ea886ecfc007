/**
 * A weight matrix packed for the WebAssembly product (the panel layout of math/gemm.ts) directly in the arena,
 * by the `transpose` and `pack` kernels: one bulk copy in, then vector loops, instead of math/gemm.ts's `pack`
 * (a JavaScript loop over every element) followed by a copy in. The fused directions repack their four
 * weight forms on every training step, so this is per-step work (about 4 % of an LSTM train step before).
 */
import { type Arena, ArenaBlock } from "../../math/wasm/arena.js";

/** Rounds a float count up to whole vectors (fused.ts has the same; not imported: fused.ts imports this file). */
const vec = (n: number): number => (n + 3) & ~3;

/** One transient staging block per arena, shared by every packing (each uses it only while it runs). */
const staging = new WeakMap<Arena, ArenaBlock>();

export class ArenaPacked {
  readonly #arena: Arena;
  readonly #src: Float32Array;
  readonly #rows: number;
  readonly #cols: number;
  readonly #transposed: boolean;
  readonly #frozen: boolean;
  readonly #block: ArenaBlock;
  #packed = false;

  /**
   * @param src the row-major `[rows, cols]` matrix (read at every {@link ArenaPacked.ptr} unless `frozen`).
   * @param transposed pack `srcᵀ [cols, rows]` (depth cols) instead of `src` (depth rows).
   */
  constructor(arena: Arena, src: Float32Array, rows: number, cols: number, transposed: boolean, frozen: boolean) {
    this.#arena = arena;
    this.#src = src;
    this.#rows = rows;
    this.#cols = cols;
    this.#transposed = transposed;
    this.#frozen = frozen;
    this.#block = new ArenaBlock(arena);
  }

  /**
   * The packed matrix's arena address (panel stride 16·depth bytes), packed from the source now unless frozen
   * and already packed. May allocate in the arena: take views of its memory afterwards.
   */
  ptr(): number {
    if (this.#packed && this.#frozen) return this.#block.ptr;
    const rows = this.#rows;
    const cols = this.#cols;
    const [K, N] = this.#transposed ? [cols, rows] : [rows, cols];
    const n = rows * cols;
    const arena = this.#arena;
    const dst = this.#block.ensure(4 * K * vec(N));
    let block = staging.get(arena);
    if (block === undefined) {
      block = new ArenaBlock(arena);
      staging.set(arena, block);
    }
    const tmp = block.ensure(4 * (this.#transposed ? 2 : 1) * vec(n));
    const f32 = arena.f32;
    f32.set(this.#src.subarray(0, n), tmp >> 2);
    const k = arena.kernels;
    if (this.#transposed) {
      const t = tmp + 4 * vec(n);
      k.transpose(tmp, cols, rows, cols, t);
      k.pack(t, rows, K, N, dst, 16 * K);
    } else k.pack(tmp, cols, K, N, dst, 16 * K);
    this.#packed = true;
    return dst;
  }
}
