/**
 * The LSTM forward of one direction on the SIMD kernels: the input projection, every step's recurrent product
 * and the fused gate update run inside WebAssembly (`lstm_forward` of kernels.wat) on buffers that stay in the
 * arena, so the time loop crosses into JavaScript zero times instead of T times and copies nothing per step.
 * Only the inputs are copied in and the outputs (and, when recording, what backward needs) copied out.
 * Needs H a multiple of 4 (whole vectors per gate); lstm.ts keeps the JavaScript loop for other sizes.
 */
import type { PackedMatrix } from "../../math/gemm.js";
import { type Arena, ArenaBlock } from "../../math/wasm/arena.js";
import { gemmInArena } from "../../math/wasm/wasm-gemm.js";
import type { Sequence, StateIn } from "./direction.js";

/** Where the results go (JavaScript buffers of lstm.ts); the record buffers are unused unless recording. */
export interface LstmOutputs {
  readonly y: Float32Array;
  readonly h: Float32Array;
  readonly c: Float32Array;
  readonly gates: Float32Array;
  readonly hprev: Float32Array;
  readonly cprev: Float32Array;
  readonly tc: Float32Array;
}

/** Rounds a float count up to whole vectors, so that every region starts 16-byte aligned. */
const vec = (n: number) => (n + 3) & ~3;

export class LstmWasmForward {
  readonly #block: ArenaBlock;

  constructor(readonly arena: Arena) {
    this.#block = new ArenaBlock(arena);
  }

  /**
   * Runs the direction. `wih`, `whh` are `W_ihᵀ [D, 4H]` and `W_hhᵀ [H, 4H]` packed with arena copies (`ptr`);
   * `bias` is `b_ih + b_hh` `[4H]`. Samples of length 0 keep their initial state (lstm.ts zeroes them).
   */
  run(
    seq: Sequence,
    reverse: boolean,
    H: number,
    h0: StateIn,
    c0: StateIn,
    record: boolean,
    bias: Float32Array,
    wih: PackedMatrix,
    whh: PackedMatrix,
    out: LstmOutputs,
  ): void {
    const { T, B, D } = seq;
    const G4 = 4 * H;
    const rows = T * B;
    const nx = vec(rows * D);
    const ng = vec(rows * G4);
    const ns = vec(B * H);
    const ny = vec(rows * H);
    const nl = vec(B);
    const floats = nx + ng + vec(G4) + 2 * ns + ny + nl + (record ? 3 * ny : 0);
    const x = this.#block.ensure(4 * floats);
    const gates = x + 4 * nx;
    const biasPtr = gates + 4 * ng;
    const h = biasPtr + 4 * vec(G4);
    const c = h + 4 * ns;
    const y = c + 4 * ns;
    const lens = y + 4 * ny;
    const hprev = lens + 4 * nl;
    const cprev = hprev + 4 * ny;
    const tc = cprev + 4 * ny;
    const f32 = this.arena.f32;
    const i32 = this.arena.i32;
    f32.set(seq.x.subarray(0, rows * D), x >> 2);
    if (D === 0) f32.fill(0, gates >> 2, (gates >> 2) + rows * G4);
    else if (rows > 0) gemmInArena(this.arena, rows, D, G4, x, D, wih.ptr!, gates, G4, false);
    f32.set(bias, biasPtr >> 2);
    loadInto(f32, h >> 2, B * H, h0);
    loadInto(f32, c >> 2, B * H, c0);
    if (seq.lengths === undefined) i32.fill(T, lens >> 2, (lens >> 2) + B);
    else i32.set(seq.lengths.subarray(0, B), lens >> 2);
    this.arena.kernels.lstm_forward(
      T,
      B,
      H,
      gates,
      biasPtr,
      whh.ptr!,
      16 * H,
      h,
      c,
      y,
      lens,
      hprev,
      cprev,
      tc,
      record ? 1 : 0,
      reverse ? 1 : 0,
    );
    copyOut(f32, y, out.y, rows * H);
    copyOut(f32, h, out.h, B * H);
    copyOut(f32, c, out.c, B * H);
    if (record) {
      copyOut(f32, gates, out.gates, rows * G4);
      copyOut(f32, hprev, out.hprev, rows * H);
      copyOut(f32, cprev, out.cprev, rows * H);
      copyOut(f32, tc, out.tc, rows * H);
    }
  }
}

function loadInto(f32: Float32Array, at: number, n: number, src: StateIn): void {
  if (src.data === undefined) f32.fill(0, at, at + n);
  else f32.set(src.data.subarray(src.off, src.off + n), at);
}

function copyOut(f32: Float32Array, ptr: number, dst: Float32Array, n: number): void {
  dst.set(f32.subarray(ptr >> 2, (ptr >> 2) + n));
}
