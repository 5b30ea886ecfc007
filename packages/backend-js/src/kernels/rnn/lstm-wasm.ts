/**
 * One LSTM direction on the SIMD kernels. Forward: every step's product `[h | x_t | 1] · [W_hhᵀ; W_ihᵀ; bias]`
 * (input projection, bias and recurrent product in one) and the fused gate update run inside WebAssembly
 * (`lstm_forward` of lstm.wat) on buffers that stay in the arena, so the time loop crosses into JavaScript zero
 * times instead of T times.
 * What backward needs (activated gates, states before each step, tanh c) stays in the arena too; `backward`
 * runs the time loop in `lstm_backward` and forms the weight gradients as one product
 * `dGᵀ · [h_prev | x | 1]`, whose last column is the bias gradient.
 * Any H: gate blocks and states are padded to whole vectors in the arena (fused.ts).
 */
import type { Arena } from "../../math/wasm/arena.js";
import type { OutputGrad, ParamGrads, Sequence, StateIn } from "./direction.js";
import { rowsIn, rowsOut, stageInputs, stateIn, vec } from "./fused.js";
import { FusedDirection, type Recording } from "./fused-direction.js";
import type { DirectionWeights } from "./weights.js";

/** Addresses of the forward's regions (bytes), kept for backward. */
interface Layout extends Recording {
  readonly gates: number;
  readonly cprev: number;
  readonly tc: number;
}

export class LstmWasm extends FusedDirection<Layout> {
  /** @param w the direction's live weights (read at every forward unless `frozen`). */
  constructor(arena: Arena, w: DirectionWeights, D: number, H: number, frozen: boolean) {
    super(arena, w, 4, D, H, frozen);
  }

  /**
   * Runs the direction, writing `y [T, B, H]`, `h`, `c` (`[B, H]`, final states). Samples of length 0 keep
   * their initial state (lstm.ts zeroes them).
   */
  forward(
    seq: Sequence,
    reverse: boolean,
    h0: StateIn,
    c0: StateIn,
    record: boolean,
    out: { readonly y: Float32Array; readonly h: Float32Array; readonly c: Float32Array },
  ): void {
    const { T, B, D } = seq;
    const H = this.H;
    const weights = this.weights;
    const Hp = weights.Hp;
    const G4 = 4 * Hp;
    const rows = T * B;
    const n = rows * Hp;
    // A step's product reads rows [h | x | 1]: K floats, ld apart (whole vectors, so every row is aligned).
    const K = weights.fwdDepth;
    const ld = vec(K);
    this.refresh();
    // Packing may allocate in the arena: before any view of its memory is taken.
    const w = weights.fwdT.ptr();
    // Kept for every step only when recording (backward reads them); else one step's slice, reused.
    const steps = record ? rows : B;
    // Straight-line offsets, no layout objects: this runs once per frame when streaming.
    const x = this.fwd.ensure(
      4 * (vec(rows * D) + vec(steps * ld) + vec(steps * G4) + 2 * vec(B * Hp) + vec(n) + vec(B) + 2 * vec(steps * Hp)),
    );
    const xh = x + 4 * vec(rows * D);
    const gates = xh + 4 * vec(steps * ld);
    const h = gates + 4 * vec(steps * G4);
    const c = h + 4 * vec(B * Hp);
    const y = c + 4 * vec(B * Hp);
    const lens = y + 4 * vec(n);
    const cprev = lens + 4 * vec(B);
    const tc = cprev + 4 * vec(steps * Hp);
    stageInputs(this.arena, seq, x, lens, false);
    const f32 = this.arena.f32;
    stateIn(f32, h, B, H, Hp, h0);
    stateIn(f32, c, B, H, Hp, c0);
    const [r, rev] = [record ? 1 : 0, reverse ? 1 : 0];
    this.arena.kernels.lstm_forward(T, B, Hp, x, D, xh, ld, w, 16 * K, gates, h, c, y, lens, cprev, tc, r, rev);
    rowsOut(f32, y, out.y, rows, H, Hp);
    rowsOut(f32, h, out.h, B, H, Hp);
    rowsOut(f32, c, out.c, B, H, Hp);
    // The recorded rows [h_prev | x | 1] are the weight gradients' operand as they stand.
    this.last = record
      ? { seq, reverse, x: xh + 4 * Hp, xld: ld, hprev: xh, hld: ld, gates, lens, cprev, tc }
      : undefined;
  }

  /**
   * Backpropagates through the last recording forward. `dh`, `dc` (`[B, H]`) hold d loss / d final state and
   * are replaced by d loss / d initial state. Adds into `grads` and `dx` (`[T, B, D]`).
   * @throws Error when the last forward did not record (lstm.ts checks {@link LstmWasm.recorded} first).
   */
  backward(
    dy: OutputGrad | undefined,
    dh: Float32Array,
    dc: Float32Array,
    grads: ParamGrads,
    dx: Float32Array | undefined,
  ): void {
    const L = this.recording("LstmWasm");
    const { T, B } = L.seq;
    const H = this.H;
    const Hp = this.weights.Hp;
    const G4 = 4 * Hp;
    const rows = T * B;
    const whh = this.weights.whhP.ptr();
    const wih = this.weights.wihP.ptr();
    const dySize = dy ? vec(rows * Hp) : 0;
    const dG = this.bwd.ensure(4 * (vec(rows * G4) + vec(G4 * rows) + dySize + 3 * vec(B * Hp)));
    const dGt = dG + 4 * vec(rows * G4);
    const dyPtr = dGt + 4 * vec(G4 * rows);
    const dhPtr = dyPtr + 4 * dySize;
    const dcPtr = dhPtr + 4 * vec(B * Hp);
    const tmp = dcPtr + 4 * vec(B * Hp);
    const f32 = this.arena.f32;
    if (dy) rowsIn(f32, dyPtr, dy.data, dy.off, dy.ld, rows, H, Hp);
    rowsIn(f32, dhPtr, dh, 0, H, B, H, Hp);
    rowsIn(f32, dcPtr, dc, 0, H, B, H, Hp);
    const k = this.arena.kernels;
    const rev = L.reverse ? 1 : 0;
    k.lstm_backward(
      T,
      B,
      Hp,
      L.gates,
      L.cprev,
      L.tc,
      dy ? dyPtr : 0,
      Hp,
      dhPtr,
      dcPtr,
      dG,
      whh,
      16 * G4,
      tmp,
      L.lens,
      rev,
    );
    rowsOut(f32, dhPtr, dh, B, H, Hp);
    rowsOut(f32, dcPtr, dc, B, H, Hp);
    // dW = dGᵀ · [h_prev | x | 1]: W_hh, W_ih and the bias (b_ih and b_hh alike) in one product.
    this.stackedGrads(L, dG, dGt, rows, G4, wih, grads, dx);
  }
}
