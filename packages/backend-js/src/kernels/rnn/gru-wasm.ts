/**
 * One GRU direction (reset-after or reset-before) on the SIMD kernels: the input projection, every step's
 * recurrent products and the gate updates run inside WebAssembly (`gru_forward` / `gru_backward` of gru.wat)
 * on buffers that stay in the arena, like lstm-wasm.ts. The weight gradients are two products:
 * - reset-after: `dGxᵀ · [x | 1]` (W_ih, b_ih) and `dGhᵀ · [h_prev | 1]` (W_hh, b_hh), where dGh, the
 *   gradient of the h-side pre-activations, differs from dGx in the n block (dn⊙r instead of dn);
 * - reset-before: `dGx[r,z]ᵀ · [h_prev | x | 1]` and `dGx[n]ᵀ · [r⊙h_prev | x | 1]` (both biases alike).
 * Any H: gate blocks and states are padded to whole vectors in the arena (fused.ts).
 */
import type { Arena } from "../../math/wasm/arena.js";
import type { OutputGrad, ParamGrads, Sequence, StateIn } from "./direction.js";
import { project, rowsIn, rowsOut, stageInputs, stateIn, vec } from "./fused.js";
import { FusedDirection, type Recording } from "./fused-direction.js";
import type { DirectionWeights } from "./weights.js";

/** Addresses of the forward's regions (bytes), kept for backward. */
interface Layout extends Recording {
  readonly gates: number;
  readonly aux: number;
}

export class GruWasm extends FusedDirection<Layout> {
  readonly #resetAfter: boolean;
  /** b_hn `[Hp]` (reset-after adds it inside r⊙(W_hn h + b_hn)). */
  readonly #bhn: Float32Array;

  /** @param w the direction's live weights (read at every forward unless `frozen`). */
  constructor(arena: Arena, w: DirectionWeights, D: number, H: number, resetAfter: boolean, frozen: boolean) {
    super(arena, w, 3, D, H, frozen);
    this.#resetAfter = resetAfter;
    this.#bhn = new Float32Array(this.weights.Hp);
  }

  /**
   * Runs the direction, writing `y [T, B, H]` and `h [B, H]` (the final state). Samples of length 0 keep their
   * initial state (gru.ts zeroes them).
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
    const ra = this.#resetAfter;
    const weights = this.weights;
    const Hp = weights.Hp;
    const G3 = 3 * Hp;
    const rows = T * B;
    const n = rows * Hp;
    this.refresh();
    // Packing may allocate in the arena: before any view of its memory is taken.
    const wih = weights.fwdT.ptr();
    const whh = weights.whhT.ptr();
    // aux (hn, or r⊙h) is kept per step only when backward will read it.
    const auxSize = record ? vec(n) : vec(B * Hp);
    const x = this.fwd.ensure(
      4 *
        (vec(rows * (D + 1)) +
          vec(rows * G3) +
          vec(Hp) +
          vec(B * Hp) +
          vec(n) +
          vec(B) +
          (ra ? vec(B * G3) : 0) +
          auxSize +
          (record ? vec(n) : 0)),
    );
    const gates = x + 4 * vec(rows * (D + 1));
    const bhn = gates + 4 * vec(rows * G3);
    const h = bhn + 4 * vec(Hp);
    const y = h + 4 * vec(B * Hp);
    const lens = y + 4 * vec(n);
    const hp = lens + 4 * vec(B);
    const aux = hp + 4 * (ra ? vec(B * G3) : 0);
    const hprev = aux + 4 * auxSize;
    stageInputs(this.arena, seq, x, lens, true);
    project(this.arena, rows, D, G3, x, wih, gates);
    const f32 = this.arena.f32;
    rowsIn(f32, bhn, this.#bhn, 0, Hp, 1, Hp, Hp);
    stateIn(f32, h, B, H, Hp, h0);
    const [r, rev, mode] = [record ? 1 : 0, reverse ? 1 : 0, ra ? 1 : 0];
    this.arena.kernels.gru_forward(T, B, Hp, gates, bhn, whh, 16 * Hp, h, y, lens, hprev, aux, hp, r, rev, mode);
    rowsOut(f32, y, out.y, rows, H, Hp);
    rowsOut(f32, h, out.h, B, H, Hp);
    this.last = record ? { seq, reverse, x, xld: D + 1, gates, lens, hprev, hld: Hp, aux } : undefined;
  }

  /**
   * Backpropagates through the last recording forward. `dh` (`[B, H]`) holds d loss / d final state and is
   * replaced by d loss / d initial state. Adds into `grads` and `dx` (`[T, B, D]`).
   * @throws Error when the last forward did not record (gru.ts checks {@link GruWasm.recorded} first).
   */
  backward(dy: OutputGrad | undefined, dh: Float32Array, grads: ParamGrads, dx: Float32Array | undefined): void {
    const L = this.recording("GruWasm");
    const { T, B } = L.seq;
    const H = this.H;
    const ra = this.#resetAfter;
    const Hp = this.weights.Hp;
    const G3 = 3 * Hp;
    const rows = T * B;
    const whh = this.weights.whhP.ptr();
    const wih = this.weights.wihP.ptr();
    const dySize = dy ? vec(rows * Hp) : 0;
    const dGx = this.bwd.ensure(4 * ((ra ? 3 : 2) * vec(rows * G3) + dySize + 2 * vec(B * Hp)));
    const dGt = dGx + 4 * vec(rows * G3);
    // reset-before: the h-side gradients are the x-side ones (the kernel is passed dGx twice).
    const dGh = ra ? dGt + 4 * vec(rows * G3) : dGx;
    const dyPtr = dGt + 4 * (ra ? 2 : 1) * vec(rows * G3);
    const dhPtr = dyPtr + 4 * dySize;
    const tmp = dhPtr + 4 * vec(B * Hp);
    const f32 = this.arena.f32;
    if (dy) rowsIn(f32, dyPtr, dy.data, dy.off, dy.ld, rows, H, Hp);
    rowsIn(f32, dhPtr, dh, 0, H, B, H, Hp);
    const k = this.arena.kernels;
    const [rev, mode] = [L.reverse ? 1 : 0, ra ? 1 : 0];
    const dyArg = dy ? dyPtr : 0;
    k.gru_backward(T, B, Hp, L.gates, L.hprev, L.aux, dyArg, dhPtr, dGx, dGh, whh, 16 * G3, tmp, L.lens, rev, mode);
    rowsOut(f32, dhPtr, dh, B, H, Hp);
    if (rows === 0) return;
    const x = this.xPart(L, grads);
    const hprev = this.hPart(L.hprev, grads);
    k.transpose(dGx, G3, rows, G3, dGt);
    if (ra) {
      this.weightGrads(dGt, rows, 0, G3, [x], [grads.bih]);
      k.transpose(dGh, G3, rows, G3, dGt);
      this.weightGrads(dGt, rows, 0, G3, [hprev], [grads.bhh]);
    } else {
      const biases = [grads.bih, grads.bhh];
      this.weightGrads(dGt, rows, 0, 2 * Hp, [hprev, x], biases);
      this.weightGrads(dGt, rows, 2 * Hp, G3, [this.hPart(L.aux, grads), x], biases);
    }
    this.inputGrad(L, dGx, rows, G3, wih, dx);
  }

  /** The projection's bias `[3Hp]`: b_ih + b_hh, without b_hn under reset-after (it goes to its own vector). */
  protected override padBiases(): void {
    super.padBiases();
    if (!this.#resetAfter) return;
    const { bih, bhh } = this.w;
    const H = this.H;
    const Hp = this.weights.Hp;
    for (let j = 0; j < H; j++) {
      this.bias[2 * Hp + j] = bih[2 * H + j]!;
      this.#bhn[j] = bhh[2 * H + j]!;
    }
  }
}
