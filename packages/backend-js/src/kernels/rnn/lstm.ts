/**
 * LSTM direction, PyTorch gate order i, f, g, o:
 * `i,f,o = σ(·)`, `g = tanh(·)`, `c' = f⊙c + i⊙g`, `h' = o⊙tanh(c')`, pre-activations `x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh`.
 */
import { Buffers } from "../../engine/buffers.js";
import { fastSigmoid, fastTanh } from "../../math/fast-math.js";
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
import { LstmWasm } from "./lstm-wasm.js";
import type { DirectionWeights } from "./weights.js";

export class LstmDirection implements Direction {
  y: Float32Array = new Float32Array(0);
  h: Float32Array = new Float32Array(0);
  c: Float32Array = new Float32Array(0);
  readonly #H: number;
  readonly #w: DirectionWeights;
  readonly #wihT: PackedWeight;
  readonly #whhT: PackedWeight;
  readonly #wihP: PackedWeight;
  readonly #whhP: PackedWeight;
  readonly #bias: Float32Array;
  readonly #bufs = new Buffers();
  readonly #scratch = new PackScratch();
  #seq: Sequence | undefined;
  #reverse = false;
  #gates: Float32Array = new Float32Array(0);
  #hprev: Float32Array = new Float32Array(0);
  #cprev: Float32Array = new Float32Array(0);
  #tc: Float32Array = new Float32Array(0);
  /** The fused time loop, when the SIMD kernels are in force. */
  readonly #fused: FusedSlot<LstmWasm>;

  readonly #frozen: boolean;
  #biasReady = false;

  constructor(w: DirectionWeights, D: number, H: number, frozen: boolean) {
    this.#H = H;
    this.#frozen = frozen;
    this.#w = w;
    this.#wihT = PackedWeight.transposed(w.wih, 0, 4 * H, D, frozen);
    this.#whhT = PackedWeight.transposed(w.whh, 0, 4 * H, H, frozen);
    this.#wihP = PackedWeight.plain(w.wih, 0, 4 * H, D, frozen);
    this.#whhP = PackedWeight.plain(w.whh, 0, 4 * H, H, frozen);
    this.#bias = new Float32Array(4 * H);
    this.#fused = new FusedSlot((arena) => new LstmWasm(arena, w, D, H, frozen));
  }

  forward(seq: Sequence, reverse: boolean, h0: StateIn, c0: StateIn, record: boolean): void {
    const { T, B } = seq;
    const H = this.#H;
    const G4 = 4 * H;
    const bufs = this.#bufs;
    this.#seq = seq;
    this.#reverse = reverse;
    const y = (this.y = bufs.get("y", T * B * H));
    const h = (this.h = bufs.get("h", B * H));
    const c = (this.c = bufs.get("c", B * H));
    // The whole time loop in WebAssembly when the SIMD kernels are in force (any H: lstm-wasm.ts pads).
    const wasm = this.#fused.begin();
    if (wasm !== undefined) {
      wasm.forward(seq, reverse, h0, c0, record, { y, h, c });
      this.#fused.ran(record);
      zeroEmpty(h, seq, H);
      zeroEmpty(c, seq, H);
      return;
    }
    if (!this.#frozen || !this.#biasReady) {
      for (let j = 0; j < G4; j++) this.#bias[j] = this.#w.bih[j]! + this.#w.bhh[j]!;
      this.#biasReady = true;
    }
    loadState(h, h0);
    loadState(c, c0);
    const hprev = (this.#hprev = bufs.get("hprev", record ? T * B * H : 0));
    const cprev = (this.#cprev = bufs.get("cprev", record ? T * B * H : 0));
    const tc = (this.#tc = bufs.get("tc", record ? T * B * H : 0));
    const gates = (this.#gates = bufs.get("gates", T * B * G4));
    projectInputs(seq, this.#wihT, this.#bias, gates, G4);
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
      gemmPacked(B, A, aOff, H, false, whh, gates, base * G4, G4, true);
      for (let b = 0; b < B; b++) {
        const row = base + b;
        const yo = row * H;
        if (t >= lengthOf(seq, b)) {
          y.fill(0, yo, yo + H);
          continue;
        }
        const g = row * G4;
        const so = b * H;
        for (let j = 0; j < H; j++) {
          const ig = fastSigmoid(gates[g + j]!);
          const fg = fastSigmoid(gates[g + H + j]!);
          const gg = fastTanh(gates[g + 2 * H + j]!);
          const og = fastSigmoid(gates[g + 3 * H + j]!);
          const cp = c[so + j]!;
          const cn = fg * cp + ig * gg;
          const tcn = fastTanh(cn);
          const hn = og * tcn;
          c[so + j] = cn;
          h[so + j] = hn;
          y[yo + j] = hn;
          if (record) {
            gates[g + j] = ig;
            gates[g + H + j] = fg;
            gates[g + 2 * H + j] = gg;
            gates[g + 3 * H + j] = og;
            cprev[yo + j] = cp;
            tc[yo + j] = tcn;
          }
        }
      }
    }
    zeroEmpty(h, seq, H);
    zeroEmpty(c, seq, H);
  }

  backward(
    dy: OutputGrad | undefined,
    dhN: Float32Array | undefined,
    dcN: Float32Array | undefined,
    grads: ParamGrads,
    dx: Float32Array | undefined,
    dh0: GradOut,
    dc0: GradOut,
  ): void {
    const seq = this.#seq!;
    const { T, B } = seq;
    const H = this.#H;
    const G4 = 4 * H;
    const bufs = this.#bufs;
    const dh = bufs.get("dh", B * H);
    const dc = bufs.get("dc", B * H);
    startGrad(dh, dhN, seq, H);
    startGrad(dc, dcN, seq, H);
    const wasm = this.#fused.recording;
    if (wasm !== undefined) {
      wasm.backward(dy, dh, dc, grads, dx);
      addInto(dh0, dh);
      addInto(dc0, dc);
      return;
    }
    const gates = this.#gates;
    const cprev = this.#cprev;
    const tc = this.#tc;
    const dG = bufs.get("dG", T * B * G4);
    const tmp = bufs.get("tmp", B * H);
    const whh = this.#whhP.get();
    const maxL = maxLength(seq);
    for (let s = 0; s < T; s++) {
      const t = this.#reverse ? s : T - 1 - s;
      const base = t * B;
      if (t >= maxL) {
        dG.fill(0, base * G4, (base + B) * G4);
        continue;
      }
      for (let b = 0; b < B; b++) {
        const row = base + b;
        const g = row * G4;
        if (t >= lengthOf(seq, b)) {
          dG.fill(0, g, g + G4);
          continue;
        }
        const yo = row * H;
        const so = b * H;
        const dyo = dy ? dy.off + row * dy.ld : 0;
        for (let j = 0; j < H; j++) {
          const dhj = dh[so + j]! + (dy ? dy.data[dyo + j]! : 0);
          const ig = gates[g + j]!;
          const fg = gates[g + H + j]!;
          const gg = gates[g + 2 * H + j]!;
          const og = gates[g + 3 * H + j]!;
          const tcn = tc[yo + j]!;
          const dcj = dc[so + j]! + dhj * og * (1 - tcn * tcn);
          dG[g + j] = dcj * gg * ig * (1 - ig);
          dG[g + H + j] = dcj * cprev[yo + j]! * fg * (1 - fg);
          dG[g + 2 * H + j] = dcj * ig * (1 - gg * gg);
          dG[g + 3 * H + j] = dhj * tcn * og * (1 - og);
          dc[so + j] = dcj * fg;
        }
      }
      gemmPacked(B, dG, base * G4, G4, false, whh, tmp, 0, H, false);
      for (let b = 0; b < B; b++) {
        if (t < lengthOf(seq, b)) for (let j = b * H; j < (b + 1) * H; j++) dh[j] = tmp[j]!;
      }
    }
    addInto(dh0, dh);
    addInto(dc0, dc);
    const rows = T * B;
    gemm(G4, H, rows, dG, 0, G4, true, this.#hprev, 0, H, false, grads.whh, 0, H, true, this.#scratch);
    sumRows(dG, 0, rows, G4, G4, grads.bhh);
    inputSideGrads(seq, dG, G4, this.#wihP, grads, dx, this.#scratch);
  }
}
