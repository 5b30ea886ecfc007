/**
 * One LSTM direction on the SIMD kernels. Forward: the input projection, every step's recurrent product and
 * the fused gate update run inside WebAssembly (`lstm_forward` of kernels.wat) on buffers that stay in the
 * arena, so the time loop crosses into JavaScript zero times instead of T times and copies nothing per step.
 * What backward needs (activated gates, states before each step, tanh c) stays in the arena too; `backward`
 * runs the time loop in `lstm_backward` and forms the weight gradients as one product
 * `dGᵀ · [h_prev | x | 1]`, whose last column is the bias gradient.
 * Needs H a multiple of 4 (whole vectors per gate); lstm.ts keeps the JavaScript loops for other sizes.
 */
import type { PackedMatrix } from "../../math/gemm.js";
import { type Arena, ArenaBlock } from "../../math/wasm/arena.js";
import { gemmInArena } from "../../math/wasm/wasm-gemm.js";
import type { OutputGrad, ParamGrads, Sequence, StateIn } from "./direction.js";

/** Rounds a float count up to whole vectors, so that every region starts 16-byte aligned. */
const vec = (n: number) => (n + 3) & ~3;

/** Addresses of the forward's regions (bytes), kept for backward. */
interface Layout {
  readonly seq: Sequence;
  readonly reverse: boolean;
  readonly x: number;
  readonly gates: number;
  readonly lens: number;
  readonly hprev: number;
  readonly cprev: number;
  readonly tc: number;
}

export class LstmWasm {
  readonly #fwd: ArenaBlock;
  readonly #bwd: ArenaBlock;
  /** Set by a recording forward: backward reads that forward's regions. */
  #recorded: Layout | undefined;

  constructor(
    readonly arena: Arena,
    readonly H: number,
  ) {
    this.#fwd = new ArenaBlock(arena);
    this.#bwd = new ArenaBlock(arena);
  }

  /** Whether the last forward recorded (so that {@link LstmWasm.backward} may run). */
  get recorded(): boolean {
    return this.#recorded !== undefined;
  }

  /**
   * Runs the direction, writing `y [T, B, H]`, `h`, `c` (`[B, H]`, final states). `wih`, `whh` are `W_ihᵀ`
   * `[D, 4H]` and `W_hhᵀ [H, 4H]` packed with arena copies (`ptr`); `bias` is `b_ih + b_hh` `[4H]`. Samples of
   * length 0 keep their initial state (lstm.ts zeroes them).
   */
  forward(
    seq: Sequence,
    reverse: boolean,
    h0: StateIn,
    c0: StateIn,
    record: boolean,
    bias: Float32Array,
    wih: PackedMatrix,
    whh: PackedMatrix,
    out: { readonly y: Float32Array; readonly h: Float32Array; readonly c: Float32Array },
  ): void {
    const { T, B, D } = seq;
    const H = this.H;
    const G4 = 4 * H;
    const rows = T * B;
    const n = rows * H;
    const recorded = record ? 3 * vec(n) : 0;
    // Straight-line offsets, no layout objects: this runs once per frame when streaming.
    const x = this.#fwd.ensure(
      4 * (vec(rows * D) + vec(rows * G4) + vec(G4) + 2 * vec(B * H) + vec(n) + vec(B) + recorded),
    );
    const gates = x + 4 * vec(rows * D);
    const biasPtr = gates + 4 * vec(rows * G4);
    const h = biasPtr + 4 * vec(G4);
    const c = h + 4 * vec(B * H);
    const y = c + 4 * vec(B * H);
    const lens = y + 4 * vec(n);
    const hprev = lens + 4 * vec(B);
    const cprev = hprev + 4 * vec(n);
    const tc = cprev + 4 * vec(n);
    const f32 = this.arena.f32;
    copyIn(f32, x, seq.x, 0, rows * D);
    if (D === 0) f32.fill(0, gates >> 2, (gates >> 2) + rows * G4);
    else if (rows > 0) gemmInArena(this.arena, rows, D, G4, x, D, wih.ptr!, gates, G4, false);
    copyIn(f32, biasPtr, bias, 0, G4);
    loadInto(f32, h, B * H, h0);
    loadInto(f32, c, B * H, c0);
    const i32 = this.arena.i32;
    if (seq.lengths === undefined) i32.fill(T, lens >> 2, (lens >> 2) + B);
    else for (let b = 0; b < B; b++) i32[(lens >> 2) + b] = seq.lengths[b]!;
    const whhPtr = whh.ptr!;
    const [r, rev] = [record ? 1 : 0, reverse ? 1 : 0];
    this.arena.kernels.lstm_forward(T, B, H, gates, biasPtr, whhPtr, 16 * H, h, c, y, lens, hprev, cprev, tc, r, rev);
    copyOut(f32, y, out.y, n);
    copyOut(f32, h, out.h, B * H);
    copyOut(f32, c, out.c, B * H);
    this.#recorded = record ? { seq, reverse, x, gates, lens, hprev, cprev, tc } : undefined;
  }

  /**
   * Backpropagates through the last recording forward. `dh`, `dc` (`[B, H]`) hold d loss / d final state and
   * are replaced by d loss / d initial state. Adds into `grads` and `dx` (`[T, B, D]`). `whh`, `wih` are `W_hh`
   * `[4H, H]` and `W_ih [4H, D]` packed as they are, with arena copies.
   * @throws Error when the last forward did not record (lstm.ts checks {@link LstmWasm.recorded} first).
   */
  backward(
    dy: OutputGrad | undefined,
    dh: Float32Array,
    dc: Float32Array,
    whh: PackedMatrix,
    wih: PackedMatrix,
    grads: ParamGrads,
    dx: Float32Array | undefined,
  ): void {
    const L = this.#recorded;
    if (L === undefined) throw new Error("LstmWasm.backward: the last forward did not record");
    const { T, B, D } = L.seq;
    const H = this.H;
    const G4 = 4 * H;
    const rows = T * B;
    // [h_prev | x | 1] packed as one right operand: H columns (whole panels, H % 4 = 0), D, then the ones.
    const N = H + D + 1;
    const Np = vec(N);
    const dySpan = dy ? (rows - 1) * dy.ld + H : 0;
    const sizes = { dG: rows * G4, dGt: G4 * rows, dy: dySpan, dh: B * H, dc: B * H, tmp: B * H, cat: rows * Np };
    const more = { dW: G4 * N, dx: dx ? rows * D : 0 };
    const {
      dG,
      dGt,
      dy: dyPtr,
      dh: dhPtr,
      dc: dcPtr,
      tmp,
      cat,
      dW,
      dx: dxPtr,
    } = regions(this.#bwd, {
      ...sizes,
      ...more,
    });
    const f32 = this.arena.f32;
    const k = this.arena.kernels;
    if (dy) f32.set(dy.data.subarray(dy.off, dy.off + dySpan), dyPtr >> 2);
    f32.set(dh, dhPtr >> 2);
    f32.set(dc, dcPtr >> 2);
    const dyArg = dy ? dyPtr : 0;
    const ldy = dy ? dy.ld : 0;
    const rev = L.reverse ? 1 : 0;
    k.lstm_backward(T, B, H, L.gates, L.cprev, L.tc, dyArg, ldy, dhPtr, dcPtr, dG, whh.ptr!, 16 * G4, tmp, L.lens, rev);
    dh.set(f32.subarray(dhPtr >> 2, (dhPtr >> 2) + B * H));
    dc.set(f32.subarray(dcPtr >> 2, (dcPtr >> 2) + B * H));
    if (rows === 0) return;
    // dW = dGᵀ · [h_prev | x | 1]: [4H, H] of W_hh, [4H, D] of W_ih, and the bias column, in one product.
    const bs = 16 * rows;
    k.pack(L.hprev, H, rows, H, cat, bs);
    const xPanels = cat + (H / 4) * bs;
    k.pack(L.x, D, rows, D, xPanels, bs);
    const ones = (xPanels >> 2) + (D >> 2) * 4 * rows + (D & 3);
    if ((D & 3) === 0) f32.fill(0, ones, ones + 4 * rows); // a fresh panel for the ones column alone
    for (let r = 0; r < rows; r++) f32[ones + 4 * r] = 1;
    k.transpose(dG, G4, rows, G4, dGt);
    gemmInArena(this.arena, G4, rows, N, dGt, rows, cat, dW, N, false);
    const w = dW >> 2;
    for (let g = 0; g < G4; g++) {
      const row = w + g * N;
      for (let j = 0; j < H; j++) grads.whh[g * H + j] = grads.whh[g * H + j]! + f32[row + j]!;
      for (let j = 0; j < D; j++) grads.wih[g * D + j] = grads.wih[g * D + j]! + f32[row + H + j]!;
      grads.bih[g] = grads.bih[g]! + f32[row + H + D]!;
      grads.bhh[g] = grads.bhh[g]! + f32[row + H + D]!;
    }
    if (dx && D > 0) {
      f32.set(dx.subarray(0, rows * D), dxPtr >> 2);
      gemmInArena(this.arena, rows, G4, D, dG, G4, wih.ptr!, dxPtr, D, true);
      dx.set(f32.subarray(dxPtr >> 2, (dxPtr >> 2) + rows * D));
    }
  }
}

/**
 * Lays out named regions of the given float counts one after another in `block` (grown to fit), each
 * 16-byte aligned, and returns their addresses. May grow the memory: take views after this.
 */
function regions<K extends string>(block: ArenaBlock, floats: Record<K, number>): Record<K, number> {
  const keys = Object.keys(floats) as K[];
  const base = block.ensure(4 * keys.reduce((sum, key) => sum + vec(floats[key]), 0));
  const out = {} as Record<K, number>;
  let at = base;
  for (const key of keys) {
    out[key] = at;
    at += 4 * vec(floats[key]);
  }
  return out;
}

function loadInto(f32: Float32Array, ptr: number, n: number, src: StateIn): void {
  if (src.data === undefined) f32.fill(0, ptr >> 2, (ptr >> 2) + n);
  else copyIn(f32, ptr, src.data, src.off, n);
}

/** Below this many floats a loop beats `set(subarray(..))`, which allocates a view (streaming copies are small). */
const SMALL = 512;

function copyIn(f32: Float32Array, ptr: number, src: Float32Array, off: number, n: number): void {
  const at = ptr >> 2;
  if (n < SMALL) for (let i = 0; i < n; i++) f32[at + i] = src[off + i]!;
  else f32.set(src.subarray(off, off + n), at);
}

function copyOut(f32: Float32Array, ptr: number, dst: Float32Array, n: number): void {
  const at = ptr >> 2;
  if (n < SMALL) for (let i = 0; i < n; i++) dst[i] = f32[at + i]!;
  else dst.set(f32.subarray(at, at + n));
}
