/**
 * One simple-RNN direction (tanh or relu) on the SIMD kernels: every step's product
 * `[h | x_t | 1] · [W_hhᵀ; W_ihᵀ; bias]` and the activation run inside WebAssembly (`simple_forward` /
 * `simple_backward` of simple.wat) on buffers that stay in the arena, like lstm-wasm.ts. Backward derives act' from the outputs y, which stay in
 * the arena, and forms the weight gradients as one product `dGᵀ · [h_prev | x | 1]`.
 * Any H: states are padded to whole vectors in the arena (fused.ts).
 */
import type { Arena } from "../../math/wasm/arena.js";
import type { OutputGrad, ParamGrads, Sequence, StateIn } from "./direction.js";
import { rowsIn, rowsOut, stageInputs, stateIn, vec } from "./fused.js";
import { FusedDirection, type Recording } from "./fused-direction.js";
import type { DirectionWeights } from "./weights.js";

/** Addresses of the forward's regions (bytes), kept for backward. */
interface Layout extends Recording {
  readonly y: number;
}

export class SimpleWasm extends FusedDirection<Layout> {
  readonly #relu: boolean;

  /** @param w the direction's live weights (read at every forward unless `frozen`). */
  constructor(arena: Arena, w: DirectionWeights, D: number, H: number, relu: boolean, frozen: boolean) {
    super(arena, w, 1, D, H, frozen);
    this.#relu = relu;
  }

  /**
   * Runs the direction, writing `y [T, B, H]` and `h [B, H]` (the final state). Samples of length 0 keep their
   * initial state (simple.ts zeroes them).
   */
  forward(
    seq: Sequence,
    reverse: boolean,
    h0: StateIn,
    record: boolean,
    out: { readonly y: Float32Array; readonly h: Float32Array },
  ): void {
    const { T, B, D } = seq;
    const H = this.H;
    const weights = this.weights;
    const Hp = weights.Hp;
    const rows = T * B;
    const n = rows * Hp;
    // A step's product reads rows [h | x | 1]: K floats, ld apart (whole vectors, so every row is aligned).
    const K = weights.fwdDepth;
    const ld = vec(K);
    this.refresh();
    // Packing may allocate in the arena: before any view of its memory is taken.
    const w = weights.fwdT.ptr();
    // Every step's rows are kept only when recording (the weight gradients' operand); else one step's, reused.
    const steps = record ? rows : B;
    const x = this.fwd.ensure(4 * (vec(rows * D) + vec(steps * ld) + 2 * vec(B * Hp) + vec(n) + vec(B)));
    const xh = x + 4 * vec(rows * D);
    const pre = xh + 4 * vec(steps * ld);
    const h = pre + 4 * vec(B * Hp);
    const y = h + 4 * vec(B * Hp);
    const lens = y + 4 * vec(n);
    stageInputs(this.arena, seq, x, lens, false);
    const f32 = this.arena.f32;
    stateIn(f32, h, B, H, Hp, h0);
    const [r, rev, relu] = [record ? 1 : 0, reverse ? 1 : 0, this.#relu ? 1 : 0];
    this.arena.kernels.simple_forward(T, B, Hp, x, D, xh, ld, w, 16 * K, pre, h, y, lens, r, rev, relu);
    rowsOut(f32, y, out.y, rows, H, Hp);
    rowsOut(f32, h, out.h, B, H, Hp);
    // The recorded rows [h_prev | x | 1] are the weight gradients' operand as they stand.
    this.last = record ? { seq, reverse, x: xh + 4 * Hp, xld: ld, hprev: xh, hld: ld, y, lens } : undefined;
  }

  /**
   * Backpropagates through the last recording forward. `dh` (`[B, H]`) holds d loss / d final state and is
   * replaced by d loss / d initial state. Adds into `grads` and `dx` (`[T, B, D]`).
   * @throws Error when the last forward did not record (simple.ts checks {@link SimpleWasm.recorded} first).
   */
  backward(dy: OutputGrad | undefined, dh: Float32Array, grads: ParamGrads, dx: Float32Array | undefined): void {
    const L = this.recording("SimpleWasm");
    const { T, B } = L.seq;
    const H = this.H;
    const Hp = this.weights.Hp;
    const rows = T * B;
    const whh = this.weights.whhP.ptr();
    const wih = this.weights.wihP.ptr();
    const dySize = dy ? vec(rows * Hp) : 0;
    const dG = this.bwd.ensure(4 * (2 * vec(rows * Hp) + dySize + vec(B * Hp)));
    const dGt = dG + 4 * vec(rows * Hp);
    const dyPtr = dGt + 4 * vec(rows * Hp);
    const dhPtr = dyPtr + 4 * dySize;
    const f32 = this.arena.f32;
    if (dy) rowsIn(f32, dyPtr, dy.data, dy.off, dy.ld, rows, H, Hp);
    rowsIn(f32, dhPtr, dh, 0, H, B, H, Hp);
    const k = this.arena.kernels;
    const [rev, relu] = [L.reverse ? 1 : 0, this.#relu ? 1 : 0];
    k.simple_backward(T, B, Hp, L.y, dy ? dyPtr : 0, dhPtr, dG, whh, 16 * Hp, L.lens, rev, relu);
    rowsOut(f32, dhPtr, dh, B, H, Hp);
    this.stackedGrads(L, dG, dGt, rows, Hp, wih, grads, dx);
  }
}
