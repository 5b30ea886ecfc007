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
    const ny = vec(rows * H);
    const sizes = [rows * D, rows * G4, G4, B * H, B * H, rows * H, B, record ? 3 * ny : 0].map(vec);
    const base = this.#fwd.ensure(4 * sizes.reduce((a, n) => a + n, 0));
    const [x, gates, biasPtr, h, c, y, lens, hprev] = offsets(base, sizes);
    const cprev = hprev + 4 * ny;
    const tc = cprev + 4 * ny;
    const f32 = this.arena.f32;
    f32.set(seq.x.subarray(0, rows * D), x >> 2);
    if (D === 0) f32.fill(0, gates >> 2, (gates >> 2) + rows * G4);
    else if (rows > 0) gemmInArena(this.arena, rows, D, G4, x, D, wih.ptr!, gates, G4, false);
    f32.set(bias, biasPtr >> 2);
    loadInto(f32, h >> 2, B * H, h0);
    loadInto(f32, c >> 2, B * H, c0);
    const i32 = this.arena.i32;
    if (seq.lengths === undefined) i32.fill(T, lens >> 2, (lens >> 2) + B);
    else i32.set(seq.lengths.subarray(0, B), lens >> 2);
    const rec = record ? 1 : 0;
    const whhPtr = whh.ptr!;
    const rev = reverse ? 1 : 0;
    this.arena.kernels.lstm_forward(T, B, H, gates, biasPtr, whhPtr, 16 * H, h, c, y, lens, hprev, cprev, tc, rec, rev);
    out.y.set(f32.subarray(y >> 2, (y >> 2) + rows * H));
    out.h.set(f32.subarray(h >> 2, (h >> 2) + B * H));
    out.c.set(f32.subarray(c >> 2, (c >> 2) + B * H));
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
    const sizes = [rows * G4, G4 * rows, vec(dySpan), B * H, B * H, B * H, rows * Np, G4 * N, dx ? rows * D : 0];
    const base = this.#bwd.ensure(4 * sizes.map(vec).reduce((a, n) => a + n, 0));
    const [dG, dGt, dyPtr, dhPtr, dcPtr, tmp, cat, dW, dxPtr] = offsets(base, sizes.map(vec));
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

/** Consecutive region addresses from `base` for the given float counts. */
function offsets(base: number, sizes: readonly number[]): number[] {
  const out: number[] = [];
  let at = base;
  for (const n of sizes) {
    out.push(at);
    at += 4 * n;
  }
  return out;
}

function loadInto(f32: Float32Array, at: number, n: number, src: StateIn): void {
  if (src.data === undefined) f32.fill(0, at, at + n);
  else f32.set(src.data.subarray(src.off, src.off + n), at);
}
