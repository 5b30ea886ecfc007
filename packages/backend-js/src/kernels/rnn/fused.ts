/**
 * What the fused WebAssembly directions (lstm-wasm.ts, gru-wasm.ts, simple-wasm.ts) share: the padded layout,
 * copies between JavaScript arrays and the arena, the input projection and the weight-gradient products.
 *
 * Padded layout: the time loops work on whole f32x4 vectors, so inside the arena every gate block and state
 * row has Hp = H rounded up to a multiple of 4. The padding holds zeros (weights, biases, initial states) and
 * the loops keep it zero, so a padded unit never reaches a real one; the arrays callers see keep H. That is
 * how every H runs fused (H = 126 pads to 128: 1.6 % more work, instead of falling back to the JavaScript loop).
 */
import type { Arena, ArenaBlock } from "../../math/wasm/arena.js";
import { gemmInArena } from "../../math/wasm/wasm-gemm.js";
import { ArenaPacked } from "./arena-packed.js";
import type { Sequence, StateIn } from "./direction.js";
import type { DirectionWeights } from "./weights.js";

/** Rounds a float count up to whole vectors (so that every region starts 16-byte aligned). */
export const vec = (n: number): number => (n + 3) & ~3;

/** Below this many floats a loop beats `set(subarray(..))`, which allocates a view (streaming copies are small). */
const SMALL = 512;

/**
 * Copies `rows` rows of H floats (row r at `src[off + r·ld]`) into the arena at `ptr` as rows of Hp floats,
 * the padding zeroed.
 */
export function rowsIn(
  f32: Float32Array,
  ptr: number,
  src: Float32Array,
  off: number,
  ld: number,
  rows: number,
  H: number,
  Hp: number,
): void {
  const at = ptr >> 2;
  if (H === Hp && ld === H) {
    const n = rows * H;
    if (n < SMALL) for (let i = 0; i < n; i++) f32[at + i] = src[off + i]!;
    else f32.set(src.subarray(off, off + n), at);
    return;
  }
  for (let r = 0; r < rows; r++) {
    const d = at + r * Hp;
    const s = off + r * ld;
    for (let j = 0; j < H; j++) f32[d + j] = src[s + j]!;
    for (let j = H; j < Hp; j++) f32[d + j] = 0;
  }
}

/** Copies `rows` rows of Hp floats at `ptr` to `dst` as rows of H floats (the padding dropped). */
export function rowsOut(f32: Float32Array, ptr: number, dst: Float32Array, rows: number, H: number, Hp: number): void {
  const at = ptr >> 2;
  if (H === Hp) {
    const n = rows * H;
    if (n < SMALL) for (let i = 0; i < n; i++) dst[i] = f32[at + i]!;
    else dst.set(f32.subarray(at, at + n));
    return;
  }
  for (let r = 0; r < rows; r++) for (let j = 0; j < H; j++) dst[r * H + j] = f32[at + r * Hp + j]!;
}

/** An initial state `[B, H]` into the arena as `[B, Hp]` (zeros when not fed). */
export function stateIn(f32: Float32Array, ptr: number, B: number, H: number, Hp: number, src: StateIn): void {
  if (src.data === undefined) f32.fill(0, ptr >> 2, (ptr >> 2) + B * Hp);
  else rowsIn(f32, ptr, src.data, src.off, H, B, H, Hp);
}

/**
 * Copies the inputs `[T·B, D]` to `x` and the lengths (T for every sample when absent) to `lens` (int32). With
 * `ones`, as rows `[x | 1]` of D + 1 floats (the ones column carries the bias through {@link project}); x then
 * needs room for `T·B·(D + 1)` floats.
 */
export function stageInputs(arena: Arena, seq: Sequence, x: number, lens: number, ones: boolean): void {
  const { T, B, D } = seq;
  const rows = T * B;
  // One bulk copy; with ones, to the region's end, then spread into rows of D + 1 in place (append_ones).
  const at = ones ? x + 4 * rows : x;
  rowsIn(arena.f32, at, seq.x, 0, D, rows, D, D);
  if (ones) arena.kernels.append_ones(x, rows, D);
  const i32 = arena.i32;
  if (seq.lengths === undefined) i32.fill(T, lens >> 2, (lens >> 2) + B);
  else for (let b = 0; b < B; b++) i32[(lens >> 2) + b] = seq.lengths[b]!;
}

/**
 * The input projection of all steps with the bias: `gates[rows, N] = [x | 1][rows, D + 1] · [W_ihᵀ; biasᵀ]` in
 * the arena, `x` staged by {@link stageInputs}, `wihT` the packed `[W_ihᵀ; biasᵀ]` ({@link GateWeights.fwdT}).
 * The bias rides in the product as one more depth row: no pass to fill the gates with it first and no
 * accumulation onto them (the gates of all steps are megabytes: both were memory-bound passes).
 */
export function project(
  arena: Arena,
  rows: number,
  D: number,
  N: number,
  x: number,
  wihT: number,
  gates: number,
): void {
  if (rows === 0) return;
  gemmInArena(arena, rows, D + 1, N, x, D + 1, wihT, gates, N, false);
}

/**
 * A direction's weights as the fused loops read them: `W_ih [G·H, D]` and `W_hh [G·H, H]` with each gate block
 * padded to Hp rows (and W_hh's columns to Hp), zeros in the padding, packed with arena copies: as is for
 * backward, and for forward as {@link GateWeights.fwdT}, the projection's bias riding as one more column.
 * When H is a multiple of 4 the live arrays are packed directly (but the forward form, always a copy).
 */
export class GateWeights {
  readonly Hp: number;
  /**
   * The forward product's weights, transposed: stacked, `[W_hh | W_ih | bias]ᵀ [Hp + D + 1, G·Hp]`, the
   * operand of a step's `[h | x | 1]` rows (LSTM, simple: lstm.wat, simple.wat); otherwise
   * `[W_ih | bias]ᵀ [D + 1, G·Hp]`, the input projection's ({@link project}; GRU, whose h-side product is its
   * own).
   */
  readonly fwdT: ArenaPacked;
  /** `W_hhᵀ [Hp, G·Hp]` (not stacked) */
  readonly whhT: ArenaPacked;
  /** `W_ih [G·Hp, D]` */
  readonly wihP: ArenaPacked;
  /** `W_hh [G·Hp, Hp]` */
  readonly whhP: ArenaPacked;
  /** The depth of {@link GateWeights.fwdT}: Hp + D + 1 stacked, else D + 1. */
  readonly fwdDepth: number;
  readonly #w: DirectionWeights;
  readonly #G: number;
  readonly #D: number;
  readonly #H: number;
  readonly #frozen: boolean;
  readonly #stacked: boolean;
  readonly #ih: Float32Array;
  readonly #hh: Float32Array;
  /** `[W_hh | W_ih | bias]` or `[W_ih | bias]`, `[G·Hp, fwdDepth]` */
  readonly #fwd: Float32Array;
  readonly #bias: Float32Array;
  #copied = false;

  /**
   * @param bias the projection's bias `[G·Hp]` (padded), read by every {@link GateWeights.refresh}.
   * @param stacked whether the forward form stacks W_hh on top (see {@link GateWeights.fwdT}).
   */
  constructor(
    arena: Arena,
    w: DirectionWeights,
    G: number,
    D: number,
    H: number,
    frozen: boolean,
    bias: Float32Array,
    stacked: boolean,
  ) {
    const Hp = vec(H);
    this.Hp = Hp;
    this.#w = w;
    this.#G = G;
    this.#D = D;
    this.#H = H;
    this.#frozen = frozen;
    this.#stacked = stacked;
    this.#ih = Hp === H ? w.wih : new Float32Array(G * Hp * D);
    this.#hh = Hp === H ? w.whh : new Float32Array(G * Hp * Hp);
    this.fwdDepth = (stacked ? Hp : 0) + D + 1;
    this.#fwd = new Float32Array(G * Hp * this.fwdDepth);
    this.#bias = bias;
    this.fwdT = new ArenaPacked(arena, this.#fwd, G * Hp, this.fwdDepth, true, frozen);
    this.whhT = new ArenaPacked(arena, this.#hh, G * Hp, Hp, true, frozen);
    this.wihP = new ArenaPacked(arena, this.#ih, G * Hp, D, false, frozen);
    this.whhP = new ArenaPacked(arena, this.#hh, G * Hp, Hp, false, frozen);
  }

  /**
   * Brings the padded copies up to date with the live weights and the bias (every forward while training,
   * which updates them in place; once when frozen). Call after the bias is set and before the packed forms'
   * `ptr`.
   */
  refresh(): void {
    if (this.#frozen && this.#copied) return;
    const H = this.#H;
    const Hp = this.Hp;
    const D = this.#D;
    const { wih, whh } = this.#w;
    const fwd = this.#fwd;
    const depth = this.fwdDepth;
    const xo = this.#stacked ? Hp : 0;
    const bias = this.#bias;
    for (let g = 0; g < this.#G; g++) {
      for (let j = 0; j < H; j++) {
        const src = g * H + j;
        const dst = g * Hp + j;
        const row = dst * depth;
        if (this.#stacked) for (let i = 0, s = src * H; i < H; i++) fwd[row + i] = whh[s + i]!;
        for (let i = 0, s = src * D; i < D; i++) fwd[row + xo + i] = wih[s + i]!;
        fwd[row + xo + D] = bias[dst]!;
        if (Hp === H) continue;
        this.#ih.set(wih.subarray(src * D, (src + 1) * D), dst * D);
        this.#hh.set(whh.subarray(src * H, (src + 1) * H), dst * Hp);
      }
    }
    this.#copied = true;
  }
}

/** Pads a gate-blocked vector `[G·H]` to `[G·Hp]` in `out` (zeros in the padding), adding `add` when given. */
export function padGates(
  src: Float32Array,
  add: Float32Array | undefined,
  G: number,
  H: number,
  Hp: number,
  out: Float32Array,
): void {
  for (let g = 0; g < G; g++) {
    for (let j = 0; j < H; j++) out[g * Hp + j] = src[g * H + j]! + (add === undefined ? 0 : add[g * H + j]!);
    for (let j = H; j < Hp; j++) out[g * Hp + j] = 0;
  }
}

/** One block of left operand in a weight-gradient product, and where its gradient goes. */
export interface GradPart {
  /** Arena address of a row-major `[rows, width]` operand (leading dimension `ld`, default width). */
  readonly ptr: number;
  readonly width: number;
  readonly ld?: number;
  /** Gradient to add into, `[G·H, cols]` row-major (unpadded gate rows); its first `cols` ≤ width columns are real. */
  readonly into: Float32Array;
  readonly cols: number;
}

/**
 * Adds `dGᵀ[g0 .. g1) · [A₀ | A₁ | … | 1]` into weight and bias gradients: the weight gradients of several
 * parameter blocks in one product, the ones column giving the bias gradient (Σ over rows of dG).
 * @param dGt dG transposed, `[G·Hp, rows]` at this arena address (the kernel `transpose`).
 * @param g0 first padded gate row; `g1` one past the last (both multiples of Hp in practice).
 * @param parts operands packed side by side; every width but the last must be a multiple of 4 (panels).
 * @param biases gradients `[G·H]` to add the row sums into (none: no ones column).
 * @param scratch block for the packed operand and the product (resized; other blocks' addresses stay put).
 */
export function addWeightGrads(
  arena: Arena,
  scratch: ArenaBlock,
  dGt: number,
  rows: number,
  H: number,
  Hp: number,
  g0: number,
  g1: number,
  parts: readonly GradPart[],
  biases: readonly Float32Array[],
): void {
  if (rows === 0) return;
  let N = biases.length > 0 ? 1 : 0;
  for (const p of parts) N += p.width;
  const M = g1 - g0;
  const cat = scratch.ensure(4 * (rows * vec(N) + M * N));
  const dW = cat + 4 * rows * vec(N);
  const bs = 16 * rows;
  const k = arena.kernels;
  let col = 0;
  for (const p of parts) {
    if ((col & 3) !== 0) throw new Error(`addWeightGrads: part at column ${col} does not start a panel`);
    if (p.width > 0) k.pack(p.ptr, p.ld ?? p.width, rows, p.width, cat + (col >> 2) * bs, bs);
    col += p.width;
  }
  const f32 = arena.f32;
  if (biases.length > 0) {
    const panel = (cat >> 2) + (col >> 2) * 4 * rows;
    if ((col & 3) === 0) f32.fill(0, panel, panel + 4 * rows); // a fresh panel for the ones column alone
    fillStrided(f32, panel + (col & 3), 4, rows, 1);
  }
  gemmInArena(arena, M, rows, N, dGt + 4 * g0 * rows, rows, cat, dW, N, false);
  accumulateGrads(f32, dW >> 2, N, H, Hp, g0, g1, parts, biases);
}

/** `f32[at + stride·r] = value` for r < count. */
function fillStrided(f32: Float32Array, at: number, stride: number, count: number, value: number): void {
  for (let r = 0; r < count; r++) f32[at + stride * r] = value;
}

/**
 * Adds the product rows `[g1 − g0, N]` at float offset `w` into each part's gradient (its columns) and the
 * biases (the last column). Kept out of {@link addWeightGrads}: a hot loop there made V8 optimize the whole
 * function, wasm calls inlined, again at every deoptimization (13–21 ms of a core each, on every thread).
 */
function accumulateGrads(
  f32: Float32Array,
  w: number,
  N: number,
  H: number,
  Hp: number,
  g0: number,
  g1: number,
  parts: readonly GradPart[],
  biases: readonly Float32Array[],
): void {
  for (let gp = g0; gp < g1; gp++) {
    const gate = Math.floor(gp / Hp);
    const j = gp - gate * Hp;
    if (j >= H) continue;
    const g = gate * H + j;
    const row = w + (gp - g0) * N;
    let c0 = 0;
    for (const p of parts) {
      const into = p.into;
      const cols = p.cols;
      for (let c = 0; c < cols; c++) into[g * cols + c] = into[g * cols + c]! + f32[row + c0 + c]!;
      c0 += p.width;
    }
    for (const b of biases) b[g] = b[g]! + f32[row + N - 1]!;
  }
}

/** `dx[rows, D] += dG[rows, N] · W_ih` with `wihP` the packed `W_ih [N, D]` (arena address), via `scratch`. */
export function addInputGrad(
  arena: Arena,
  scratch: ArenaBlock,
  dG: number,
  rows: number,
  N: number,
  D: number,
  wihP: number,
  dx: Float32Array,
): void {
  if (rows === 0 || D === 0) return;
  const ptr = scratch.ensure(4 * rows * D);
  arena.f32.set(dx.subarray(0, rows * D), ptr >> 2);
  gemmInArena(arena, rows, N, D, dG, N, wihP, ptr, D, true);
  dx.set(arena.f32.subarray(ptr >> 2, (ptr >> 2) + rows * D));
}
