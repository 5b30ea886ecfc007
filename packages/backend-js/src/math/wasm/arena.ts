/**
 * The WebAssembly instances of the kernels (kernels.wat, and the fused time loops lstm.wat, gru.wat, simple.wat
 * over the same memory) and an allocator over that one linear memory. Operands must live in
 * that memory; long-lived data (packed weights, a recurrent layer's buffers) gets its own {@link ArenaBlock},
 * whose address never changes, so the hot path passes addresses instead of copying.
 *
 * `memory.grow` detaches every `Float32Array` over the old buffer, so nothing keeps a view across a call that
 * may allocate: {@link Arena.f32} hands out a view of the current buffer, taken after allocating.
 */
import {
  GRU_BASE64,
  GRU_FMA_BASE64,
  KERNELS_BASE64,
  KERNELS_FMA_BASE64,
  LSTM_BASE64,
  LSTM_FMA_BASE64,
  SIMPLE_BASE64,
  SIMPLE_FMA_BASE64,
} from "./kernels-bytes.js";
import { kernelMode, productKernelChoice, relaxedSimdSupported, simdSupported } from "./simd-support.js";

/** The product kernel of an arena: f32x4 multiply then add, or relaxed SIMD's fused multiply-add. */
export type ProductKernel = "simd" | "fma";

/** The functions of the kernel modules (pointers are byte offsets, strides in floats; see the .wat for each). */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  gemm(
    M: number,
    K: number,
    N: number,
    a: number,
    lda: number,
    b: number,
    bs: number,
    c: number,
    ldc: number,
    acc: number,
  ): void;
  transpose(src: number, lds: number, M: number, K: number, dst: number): void;
  activate(src: number, dst: number, n: number, fn: 0 | 1): void;
  append_ones(x: number, rows: number, D: number): void;
  pack(src: number, ld: number, K: number, N: number, dst: number, bs: number): void;
  lstm_forward(
    T: number,
    B: number,
    H: number,
    x: number,
    D: number,
    xh: number,
    ld: number,
    w: number,
    bs: number,
    gates: number,
    h: number,
    c: number,
    y: number,
    lens: number,
    cprev: number,
    tc: number,
    record: number,
    reverse: number,
  ): void;
  lstm_backward(
    T: number,
    B: number,
    H: number,
    gates: number,
    cprev: number,
    tc: number,
    dy: number,
    ldy: number,
    dh: number,
    dc: number,
    dG: number,
    whh: number,
    bs: number,
    tmp: number,
    lens: number,
    reverse: number,
  ): void;
  gru_forward(
    T: number,
    B: number,
    H: number,
    gates: number,
    bhn: number,
    whh: number,
    bs: number,
    h: number,
    y: number,
    lens: number,
    hprev: number,
    aux: number,
    hp: number,
    record: number,
    reverse: number,
    resetAfter: number,
  ): void;
  gru_backward(
    T: number,
    B: number,
    H: number,
    gates: number,
    hprev: number,
    aux: number,
    dy: number,
    dh: number,
    dx: number,
    dhh: number,
    whh: number,
    bs: number,
    tmp: number,
    lens: number,
    reverse: number,
    resetAfter: number,
  ): void;
  simple_forward(
    T: number,
    B: number,
    H: number,
    x: number,
    D: number,
    xh: number,
    ld: number,
    w: number,
    bs: number,
    pre: number,
    h: number,
    y: number,
    lens: number,
    record: number,
    reverse: number,
    relu: number,
  ): void;
  simple_backward(
    T: number,
    B: number,
    H: number,
    y: number,
    dy: number,
    dh: number,
    dG: number,
    whh: number,
    bs: number,
    lens: number,
    reverse: number,
    relu: number,
  ): void;
}

const PAGE = 65536;
const ALIGN = 16;
/** Bytes kept free after each block: the kernels read (never write) up to one vector past a row's end. */
const SLACK = 16;

/** A first-fit allocator over the kernels' memory. Addresses are 16-byte aligned. */
export class Arena {
  readonly kernels: KernelExports;
  #f32: Float32Array;
  #i32: Int32Array;
  #top = ALIGN; // 0 stays unused, so that 0 never names a block
  /** Free ranges [start, bytes], sorted by start, never adjacent (coalesced). */
  readonly #free: [number, number][] = [];

  /**
   * @param kernels from {@link instantiateKernels}.
   * @param product which product kernel they were instantiated with (reported by {@link productKernel}).
   */
  constructor(
    kernels: KernelExports,
    readonly product: ProductKernel = "simd",
  ) {
    this.kernels = kernels;
    this.#f32 = new Float32Array(kernels.memory.buffer);
    this.#i32 = new Int32Array(kernels.memory.buffer);
  }

  /** A float view of the whole memory, valid until the next allocation. */
  get f32(): Float32Array {
    if (this.#f32.buffer !== this.kernels.memory.buffer) this.#f32 = new Float32Array(this.kernels.memory.buffer);
    return this.#f32;
  }

  /** An int32 view of the whole memory, valid until the next allocation. */
  get i32(): Int32Array {
    if (this.#i32.buffer !== this.kernels.memory.buffer) this.#i32 = new Int32Array(this.kernels.memory.buffer);
    return this.#i32;
  }

  /** Bytes of linear memory (grows, never shrinks). */
  get byteLength(): number {
    return this.kernels.memory.buffer.byteLength;
  }

  /**
   * Reserves `bytes` (plus slack) and returns the address. May grow the memory (detaching older views).
   * @throws RangeError when the memory cannot grow that far (4 GiB of wasm32, or the host's limit).
   */
  alloc(bytes: number): number {
    const size = roundUp(bytes + SLACK);
    for (let i = 0; i < this.#free.length; i++) {
      const range = this.#free[i]!;
      if (range[1] < size) continue;
      const ptr = range[0];
      if (range[1] === size) this.#free.splice(i, 1);
      else {
        range[0] += size;
        range[1] -= size;
      }
      return ptr;
    }
    const ptr = this.#top;
    const end = ptr + size;
    const have = this.kernels.memory.buffer.byteLength;
    if (end > have) {
      // Grow by at least a quarter, so that a growing workload does not grow (and copy) on every run.
      const pages = Math.max(Math.ceil((end - have) / PAGE), Math.ceil(have / PAGE / 4));
      this.kernels.memory.grow(pages);
    }
    this.#top = end;
    return ptr;
  }

  /** Returns the block at `ptr` of `bytes` (as passed to {@link Arena.alloc}) to the free list. */
  free(ptr: number, bytes: number): void {
    let start = ptr;
    let size = roundUp(bytes + SLACK);
    let i = 0;
    while (i < this.#free.length && this.#free[i]![0] < start) i++;
    const prev = this.#free[i - 1];
    if (prev !== undefined && prev[0] + prev[1] === start) {
      start = prev[0];
      size += prev[1];
      this.#free.splice(--i, 1);
    }
    const next = this.#free[i];
    if (next !== undefined && start + size === next[0]) {
      size += next[1];
      this.#free.splice(i, 1);
    }
    if (start + size === this.#top) this.#top = start;
    else this.#free.splice(i, 0, [start, size]);
  }
}

function roundUp(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}

/**
 * A resizable block owned by one object (a packed weight, a layer). Freed when `ensure` moves it, or when the
 * block object is garbage-collected (programs have no dispose hook).
 */
export class ArenaBlock {
  #ptr = 0;
  #bytes = 0;
  constructor(readonly arena: Arena) {}

  /** The block's address (0 before the first `ensure`). */
  get ptr(): number {
    return this.#ptr;
  }

  /** Makes the block at least `bytes` long and returns its address; the contents are stale after a move. */
  ensure(bytes: number): number {
    if (bytes <= this.#bytes && this.#ptr !== 0) return this.#ptr;
    if (this.#ptr !== 0) {
      blocks.unregister(this);
      this.arena.free(this.#ptr, this.#bytes);
    }
    this.#bytes = Math.max(bytes, 16);
    this.#ptr = this.arena.alloc(this.#bytes);
    blocks.register(this, { arena: this.arena, ptr: this.#ptr, bytes: this.#bytes }, this);
    return this.#ptr;
  }
}

/** Frees a block whose owner was collected. A runtime without it (none that has SIMD) simply never frees. */
const blocks =
  typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry<{ arena: Arena; ptr: number; bytes: number }>(({ arena, ptr, bytes }) =>
        arena.free(ptr, bytes),
      )
    : { register() {}, unregister() {} };

/**
 * Instantiates kernels.wat (its fused multiply-add build when `fma`), then the time-loop modules over its
 * memory and gemm, and returns their exports as one object. Synchronously: each module is under the 4 KiB
 * browsers compile on the main thread.
 * @throws WebAssembly.CompileError when the runtime rejects a module (`fma` without relaxed SIMD).
 */
export function instantiateKernels(options: { readonly fma?: boolean } = {}): KernelExports {
  const core = new WebAssembly.Instance(compile(options.fma ? KERNELS_FMA_BASE64 : KERNELS_BASE64), {}).exports;
  const k = { memory: core.memory!, gemm: core.gemm! };
  // The time loops' sigmoid/tanh polynomial and gate updates are multiply-adds too: fused with the products.
  const loops = (
    options.fma ? [LSTM_FMA_BASE64, GRU_FMA_BASE64, SIMPLE_FMA_BASE64] : [LSTM_BASE64, GRU_BASE64, SIMPLE_BASE64]
  ).map((b) => new WebAssembly.Instance(compile(b), { k }).exports);
  return Object.assign({}, core, ...loops) as unknown as KernelExports;
}

function compile(base64: string): WebAssembly.Module {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new WebAssembly.Module(bytes);
}

/** The process-wide arena of each product kernel, made on first use (null: it cannot run here). */
const arenas: Partial<Record<ProductKernel, Arena | null>> = {};
let relaxed: boolean | undefined;

function arenaOf(product: ProductKernel): Arena | undefined {
  let arena = arenas[product];
  if (arena === undefined) {
    try {
      arena = simdSupported() ? new Arena(instantiateKernels({ fma: product === "fma" }), product) : null;
    } catch {
      // A runtime that validates the module but refuses to compile it (e.g. a CSP without wasm-unsafe-eval):
      // the plain SIMD kernel, then the scalar kernels, are the documented fallbacks.
      arena = null;
    }
    arenas[product] = arena;
  }
  return arena ?? undefined;
}

/**
 * The process-wide arena of the SIMD kernels, or undefined when the scalar kernels are in force (no SIMD in
 * this runtime, or `setKernelMode("scalar")`). Its product kernel is the fused multiply-add one where the
 * runtime has relaxed SIMD (unless `setProductKernel("simd")`), else the plain f32x4 one.
 */
export function wasmArena(): Arena | undefined {
  if (kernelMode() === "scalar") return undefined;
  if (productKernelChoice() === "auto") {
    relaxed ??= relaxedSimdSupported();
    if (relaxed) {
      const arena = arenaOf("fma");
      if (arena !== undefined) return arena;
    }
  }
  return arenaOf("simd");
}

/**
 * Which matrix-product kernel runs now: `"fma"` (WebAssembly relaxed SIMD, fused multiply-add), `"simd"`
 * (WebAssembly SIMD, multiply then add) or `"scalar"` (JavaScript). What a benchmark should print next to its
 * timings.
 */
export function productKernel(): ProductKernel | "scalar" {
  return wasmArena()?.product ?? "scalar";
}
