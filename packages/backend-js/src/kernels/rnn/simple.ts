/** Simple (Elman) RNN direction: `h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh)`, act tanh or relu. */
import { Buffers } from "../../engine/buffers.js";
import { fastTanh } from "../../math/fast-math.js";
import { gemm, gemmPacked, PackScratch, sumRows } from "../../math/gemm.js";
import { PackedWeight } from "../../math/packed-weight.js";
import {
  addInto,
  type Direction,
  type GradOut,
  inputSideGrads,
  lengthOf,
  loadState,
  maxLength,
  type OutputGrad,
  type ParamGrads,
  projectInputs,
  type Sequence,
  type StateIn,
  startGrad,
  zeroEmpty,
} from "./direction.js";
import { FusedSlot } from "./fused-direction.js";
import { SimpleWasm } from "./simple-wasm.js";
import type { DirectionWeights } from "./weights.js";

export class SimpleDirection implements Direction {
  y: Float32Array = new Float32Array(0);
  h: Float32Array = new Float32Array(0);
  readonly c = undefined;
  readonly #H: number;
  readonly #w: DirectionWeights;
  readonly #relu: boolean;
  readonly #wihT: PackedWeight;
  readonly #whhT: PackedWeight;
  readonly #wihP: PackedWeight;
  readonly #whhP: PackedWeight;
  readonly #bias: Float32Array;
  readonly #bufs = new Buffers();
  readonly #scratch = new PackScratch();
  #seq: Sequence | undefined;
  #reverse = false;
  #hprev: Float32Array = new Float32Array(0);
  /** The fused time loop, when the SIMD kernels are in force. */
  readonly #fused: FusedSlot<SimpleWasm>;

  constructor(w: DirectionWeights, D: number, H: number, activation: "tanh" | "relu", frozen: boolean) {
    this.#H = H;
    this.#w = w;
    this.#relu = activation === "relu";
    this.#wihT = PackedWeight.transposed(w.wih, 0, H, D, frozen);
    this.#whhT = PackedWeight.transposed(w.whh, 0, H, H, frozen);
    this.#wihP = PackedWeight.plain(w.wih, 0, H, D, frozen);
    this.#whhP = PackedWeight.plain(w.whh, 0, H, H, frozen);
    this.#bias = new Float32Array(H);
    this.#fused = new FusedSlot((arena) => new SimpleWasm(arena, w, D, H, activation === "relu", frozen));
  }

  forward(seq: Sequence, reverse: boolean, h0: StateIn, _c0: StateIn, record: boolean): void {
    const { T, B } = seq;
    const H = this.#H;
    const bufs = this.#bufs;
    this.#seq = seq;
    this.#reverse = reverse;
    const y = (this.y = bufs.get("y", T * B * H));
    const h = (this.h = bufs.get("h", B * H));
    // The whole time loop in WebAssembly when the SIMD kernels are in force (simple-wasm.ts); the JavaScript
    // loop below is the fallback and the tests' oracle.
    const wasm = this.#fused.begin();
    if (wasm !== undefined) {
      wasm.forward(seq, reverse, h0, record, { y, h });
      this.#fused.ran(record);
      zeroEmpty(h, seq, H);
      return;
    }
    loadState(h, h0);
    const pre = bufs.get("pre", T * B * H);
    for (let j = 0; j < H; j++) this.#bias[j] = this.#w.bih[j]! + this.#w.bhh[j]!;
    projectInputs(seq, this.#wihT, this.#bias, pre, H);
    const hprev = (this.#hprev = bufs.get("hprev", record ? T * B * H : 0));
    const whh = this.#whhT.get();
    const maxL = maxLength(seq);
    for (let s = 0; s < T; s++) {
      const t = reverse ? T - 1 - s : s;
      const base = t * B;
      if (t >= maxL) {
        y.fill(0, base * H, (base + B) * H);
        if (record) hprev.fill(0, base * H, (base + B) * H);
        continue;
      }
      let A = h;
      let aOff = 0;
      if (record) {
        hprev.set(h, base * H);
        A = hprev;
        aOff = base * H;
      }
      gemmPacked(B, A, aOff, H, false, whh, pre, base * H, H, true);
      for (let b = 0; b < B; b++) {
        const yo = (base + b) * H;
        if (t >= lengthOf(seq, b)) {
          y.fill(0, yo, yo + H);
          continue;
        }
        const so = b * H;
        for (let j = 0; j < H; j++) {
          const p = pre[yo + j]!;
          const hv = this.#relu ? Math.max(p, 0) : fastTanh(p);
          h[so + j] = hv;
          y[yo + j] = hv;
        }
      }
    }
    zeroEmpty(h, seq, H);
  }

  backward(
    dy: OutputGrad | undefined,
    dhN: Float32Array | undefined,
    _dcN: Float32Array | undefined,
    grads: ParamGrads,
    dx: Float32Array | undefined,
    dh0: GradOut,
    _dc0: GradOut,
  ): void {
    const seq = this.#seq!;
    const { T, B } = seq;
    const H = this.#H;
    const bufs = this.#bufs;
    const wasm = this.#fused.recording;
    if (wasm !== undefined) {
      const dh = bufs.get("dh", B * H);
      startGrad(dh, dhN, seq, H);
      wasm.backward(dy, dh, grads, dx);
      addInto(dh0, dh);
      return;
    }
    const y = this.y;
    const dG = bufs.get("dG", T * B * H);
    const dh = bufs.get("dh", B * H);
    const tmp = bufs.get("tmp", B * H);
    startGrad(dh, dhN, seq, H);
    const whh = this.#whhP.get();
    const maxL = maxLength(seq);
    for (let s = 0; s < T; s++) {
      const t = this.#reverse ? s : T - 1 - s;
      const base = t * B;
      if (t >= maxL) {
        dG.fill(0, base * H, (base + B) * H);
        continue;
      }
      for (let b = 0; b < B; b++) {
        const yo = (base + b) * H;
        if (t >= lengthOf(seq, b)) {
          dG.fill(0, yo, yo + H);
          continue;
        }
        const so = b * H;
        const dyo = dy ? dy.off + (base + b) * dy.ld : 0;
        for (let j = 0; j < H; j++) {
          const dhj = dh[so + j]! + (dy ? dy.data[dyo + j]! : 0);
          const v = y[yo + j]!;
          dG[yo + j] = this.#relu ? (v > 0 ? dhj : 0) : dhj * (1 - v * v);
        }
      }
      gemmPacked(B, dG, base * H, H, false, whh, tmp, 0, H, false);
      for (let b = 0; b < B; b++) {
        if (t < lengthOf(seq, b)) for (let j = b * H; j < (b + 1) * H; j++) dh[j] = tmp[j]!;
      }
    }
    addInto(dh0, dh);
    const rows = T * B;
    gemm(H, H, rows, dG, 0, H, true, this.#hprev, 0, H, false, grads.whh, 0, H, true, this.#scratch);
    sumRows(dG, 0, rows, H, H, grads.bhh);
    inputSideGrads(seq, dG, H, this.#wihP, grads, dx, this.#scratch);
  }
}
