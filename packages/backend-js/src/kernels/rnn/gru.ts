/**
 * GRU direction, PyTorch gate order r, z, n; `h' = (1 − z)⊙n + z⊙h`.
 * - reset-after (PyTorch; ONNX `linear_before_reset=1`): `n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn))`.
 * - reset-before (ONNX default, Keras `reset_after=False`): `n = tanh(W_in x + b_in + W_hn (r⊙h) + b_hn)`.
 * r and z use `x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh` in both.
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
import { GruWasm } from "./gru-wasm.js";
import type { DirectionWeights } from "./weights.js";

export class GruDirection implements Direction {
  y: Float32Array = new Float32Array(0);
  h: Float32Array = new Float32Array(0);
  readonly c = undefined;
  readonly #H: number;
  readonly #w: DirectionWeights;
  readonly #resetAfter: boolean;
  readonly #wihT: PackedWeight;
  readonly #wihP: PackedWeight;
  /** reset-after: all of W_hh; reset-before: the r,z rows. */
  readonly #whhT: PackedWeight;
  readonly #whhP: PackedWeight;
  /** reset-before only: the n rows of W_hh. */
  readonly #whnT: PackedWeight;
  readonly #whnP: PackedWeight;
  readonly #bias: Float32Array;
  readonly #bufs = new Buffers();
  readonly #scratch = new PackScratch();
  #seq: Sequence | undefined;
  #reverse = false;
  #gates: Float32Array = new Float32Array(0);
  #hprev: Float32Array = new Float32Array(0);
  /** reset-after: W_hn h + b_hn per step; reset-before: r⊙h per step. */
  #aux: Float32Array = new Float32Array(0);
  /** The fused time loop, when the SIMD kernels are in force. */
  readonly #fused: FusedSlot<GruWasm>;

  constructor(w: DirectionWeights, D: number, H: number, resetAfter: boolean, frozen: boolean) {
    this.#H = H;
    this.#w = w;
    this.#resetAfter = resetAfter;
    this.#wihT = PackedWeight.transposed(w.wih, 0, 3 * H, D, frozen);
    this.#wihP = PackedWeight.plain(w.wih, 0, 3 * H, D, frozen);
    const recRows = resetAfter ? 3 * H : 2 * H;
    this.#whhT = PackedWeight.transposed(w.whh, 0, recRows, H, frozen);
    this.#whhP = PackedWeight.plain(w.whh, 0, recRows, H, frozen);
    this.#whnT = PackedWeight.transposed(w.whh, 2 * H * H, H, H, frozen);
    this.#whnP = PackedWeight.plain(w.whh, 2 * H * H, H, H, frozen);
    this.#bias = new Float32Array(3 * H);
    this.#fused = new FusedSlot((arena) => new GruWasm(arena, w, D, H, resetAfter, frozen));
  }

  forward(seq: Sequence, reverse: boolean, h0: StateIn, _c0: StateIn, record: boolean): void {
    const { T, B } = seq;
    const H = this.#H;
    const G3 = 3 * H;
    const bufs = this.#bufs;
    this.#seq = seq;
    this.#reverse = reverse;
    const y = (this.y = bufs.get("y", T * B * H));
    const h = (this.h = bufs.get("h", B * H));
    // The whole time loop in WebAssembly when the SIMD kernels are in force (gru-wasm.ts); the JavaScript loop
    // below is the fallback and the tests' oracle.
    const wasm = this.#fused.begin();
    if (wasm !== undefined) {
      wasm.forward(seq, reverse, h0, record, { y, h });
      this.#fused.ran(record);
      zeroEmpty(h, seq, H);
      return;
    }
    loadState(h, h0);
    const gates = (this.#gates = bufs.get("gates", T * B * G3));
    const { bih, bhh } = this.#w;
    // b_hn stays out of the projection under reset-after: it sits inside r⊙(W_hn h + b_hn).
    for (let j = 0; j < G3; j++) this.#bias[j] = bih[j]! + (this.#resetAfter && j >= 2 * H ? 0 : bhh[j]!);
    projectInputs(seq, this.#wihT, this.#bias, gates, G3);
    const hprev = (this.#hprev = bufs.get("hprev", record ? T * B * H : 0));
    const aux = (this.#aux = bufs.get("aux", (record ? T : 1) * B * H));
    const hp = bufs.get("hp", this.#resetAfter ? B * G3 : 0);
    const whh = this.#whhT.get();
    const whn = this.#resetAfter ? undefined : this.#whnT.get();
    const maxL = maxLength(seq);
    for (let s = 0; s < T; s++) {
      const t = reverse ? T - 1 - s : s;
      const base = t * B;
      if (t >= maxL) {
        y.fill(0, base * H, (base + B) * H);
        if (record) {
          hprev.fill(0, base * H, (base + B) * H);
          aux.fill(0, base * H, (base + B) * H);
        }
        continue;
      }
      let A = h;
      let aOff = 0;
      if (record) {
        hprev.set(h, base * H);
        A = hprev;
        aOff = base * H;
      }
      const auxBase = record ? base * H : 0;
      if (this.#resetAfter) {
        gemmPacked(B, A, aOff, H, false, whh, hp, 0, G3, false);
        for (let b = 0; b < B; b++) {
          const row = base + b;
          const yo = row * H;
          if (t >= lengthOf(seq, b)) {
            y.fill(0, yo, yo + H);
            if (record) aux.fill(0, auxBase + b * H, auxBase + (b + 1) * H);
            continue;
          }
          const g = row * G3;
          const p = b * G3;
          const so = b * H;
          for (let j = 0; j < H; j++) {
            const r = fastSigmoid(gates[g + j]! + hp[p + j]!);
            const z = fastSigmoid(gates[g + H + j]! + hp[p + H + j]!);
            const hn = hp[p + 2 * H + j]! + bhh[2 * H + j]!;
            const n = fastTanh(gates[g + 2 * H + j]! + r * hn);
            const hv = (1 - z) * n + z * h[so + j]!;
            h[so + j] = hv;
            y[yo + j] = hv;
            gates[g + j] = r;
            gates[g + H + j] = z;
            gates[g + 2 * H + j] = n;
            aux[auxBase + so + j] = hn;
          }
        }
      } else {
        gemmPacked(B, A, aOff, H, false, whh, gates, base * G3, G3, true);
        for (let b = 0; b < B; b++) {
          const row = base + b;
          const ro = auxBase + b * H;
          if (t >= lengthOf(seq, b)) {
            aux.fill(0, ro, ro + H);
            continue;
          }
          const g = row * G3;
          for (let j = 0; j < H; j++) {
            const r = fastSigmoid(gates[g + j]!);
            gates[g + j] = r;
            gates[g + H + j] = fastSigmoid(gates[g + H + j]!);
            aux[ro + j] = r * A[aOff + b * H + j]!;
          }
        }
        gemmPacked(B, aux, auxBase, H, false, whn!, gates, base * G3 + 2 * H, G3, true);
        for (let b = 0; b < B; b++) {
          const row = base + b;
          const yo = row * H;
          if (t >= lengthOf(seq, b)) {
            y.fill(0, yo, yo + H);
            continue;
          }
          const g = row * G3;
          const so = b * H;
          for (let j = 0; j < H; j++) {
            const z = gates[g + H + j]!;
            const n = fastTanh(gates[g + 2 * H + j]!);
            const hv = (1 - z) * n + z * h[so + j]!;
            gates[g + 2 * H + j] = n;
            h[so + j] = hv;
            y[yo + j] = hv;
          }
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
    const G3 = 3 * H;
    const bufs = this.#bufs;
    const wasm = this.#fused.recording;
    if (wasm !== undefined) {
      const dh = bufs.get("dh", B * H);
      startGrad(dh, dhN, seq, H);
      wasm.backward(dy, dh, grads, dx);
      addInto(dh0, dh);
      return;
    }
    const gates = this.#gates;
    const hprev = this.#hprev;
    const aux = this.#aux;
    const ra = this.#resetAfter;
    const dGx = bufs.get("dGx", T * B * G3);
    // reset-after needs a second gate gradient for the recurrent side (its n block is dn⊙r, not dn).
    const dGh = ra ? bufs.get("dGh", T * B * G3) : dGx;
    const dh = bufs.get("dh", B * H);
    const tmp = bufs.get("tmp", B * H);
    const drh = bufs.get("drh", ra ? 0 : B * H);
    startGrad(dh, dhN, seq, H);
    const whh = this.#whhP.get();
    const whn = ra ? undefined : this.#whnP.get();
    const maxL = maxLength(seq);
    for (let s = 0; s < T; s++) {
      const t = this.#reverse ? s : T - 1 - s;
      const base = t * B;
      if (t >= maxL) {
        dGx.fill(0, base * G3, (base + B) * G3);
        if (ra) dGh.fill(0, base * G3, (base + B) * G3);
        continue;
      }
      for (let b = 0; b < B; b++) {
        const row = base + b;
        const g = row * G3;
        if (t >= lengthOf(seq, b)) {
          dGx.fill(0, g, g + G3);
          if (ra) dGh.fill(0, g, g + G3);
          continue;
        }
        const yo = row * H;
        const so = b * H;
        const dyo = dy ? dy.off + row * dy.ld : 0;
        for (let j = 0; j < H; j++) {
          const dhj = dh[so + j]! + (dy ? dy.data[dyo + j]! : 0);
          const r = gates[g + j]!;
          const z = gates[g + H + j]!;
          const n = gates[g + 2 * H + j]!;
          const dnp = dhj * (1 - z) * (1 - n * n);
          dGx[g + H + j] = dhj * (hprev[yo + j]! - n) * z * (1 - z);
          dGx[g + 2 * H + j] = dnp;
          if (ra) {
            const drp = dnp * aux[yo + j]! * r * (1 - r);
            dGx[g + j] = drp;
            dGh[g + j] = drp;
            dGh[g + H + j] = dGx[g + H + j]!;
            dGh[g + 2 * H + j] = dnp * r;
          }
          dh[so + j] = dhj * z;
        }
      }
      if (!ra) {
        gemmPacked(B, dGx, base * G3 + 2 * H, G3, false, whn!, drh, 0, H, false);
        for (let b = 0; b < B; b++) {
          if (t >= lengthOf(seq, b)) continue;
          const g = (base + b) * G3;
          const yo = (base + b) * H;
          const so = b * H;
          for (let j = 0; j < H; j++) {
            const r = gates[g + j]!;
            dGx[g + j] = drh[so + j]! * hprev[yo + j]! * r * (1 - r);
            dh[so + j] = dh[so + j]! + drh[so + j]! * r;
          }
        }
      }
      gemmPacked(B, dGh, base * G3, G3, false, whh, tmp, 0, H, false);
      for (let b = 0; b < B; b++) {
        if (t < lengthOf(seq, b)) for (let j = b * H; j < (b + 1) * H; j++) dh[j] = dh[j]! + tmp[j]!;
      }
    }
    addInto(dh0, dh);
    const rows = T * B;
    if (ra) {
      gemm(G3, H, rows, dGh, 0, G3, true, hprev, 0, H, false, grads.whh, 0, H, true, this.#scratch);
    } else {
      gemm(2 * H, H, rows, dGx, 0, G3, true, hprev, 0, H, false, grads.whh, 0, H, true, this.#scratch);
      gemm(H, H, rows, dGx, 2 * H, G3, true, aux, 0, H, false, grads.whh, 2 * H * H, H, true, this.#scratch);
    }
    sumRows(dGh, 0, rows, G3, G3, grads.bhh);
    inputSideGrads(seq, dGx, G3, this.#wihP, grads, dx, this.#scratch);
  }
}
