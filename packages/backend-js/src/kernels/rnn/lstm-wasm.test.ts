import { describe, expect, test } from "vitest";
import { PackedWeight } from "../../math/packed-weight.js";
import { Arena, instantiateKernels } from "../../math/wasm/arena.js";
import { simdSupported } from "../../math/wasm/simd-support.js";
import { LstmWasmForward } from "./lstm-wasm.js";

function filled(n: number, seed: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 31 - 1) * scale;
  }
  return out;
}

const sig = (v: number) => 1 / (1 + Math.exp(-v));

/** A float64 LSTM written from the PyTorch equations (gates i, f, g, o), masked by lengths. */
function reference(
  x: Float32Array,
  [T, B, D, H]: readonly [number, number, number, number],
  wih: Float32Array,
  whh: Float32Array,
  bias: Float32Array,
  lengths: Int32Array,
  reverse: boolean,
  h0: Float32Array,
  c0: Float32Array,
) {
  const y = new Float64Array(T * B * H);
  const h = Float64Array.from(h0);
  const c = Float64Array.from(c0);
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    for (let b = 0; b < B; b++) {
      if (t >= lengths[b]!) continue;
      const pre = new Float64Array(4 * H);
      for (let g = 0; g < 4 * H; g++) {
        let v = bias[g]!;
        for (let d = 0; d < D; d++) v += x[(t * B + b) * D + d]! * wih[g * D + d]!;
        for (let k = 0; k < H; k++) v += h[b * H + k]! * whh[g * H + k]!;
        pre[g] = v;
      }
      for (let j = 0; j < H; j++) {
        const cn = sig(pre[H + j]!) * c[b * H + j]! + sig(pre[j]!) * Math.tanh(pre[2 * H + j]!);
        c[b * H + j] = cn;
        h[b * H + j] = sig(pre[3 * H + j]!) * Math.tanh(cn);
        y[(t * B + b) * H + j] = h[b * H + j]!;
      }
    }
  }
  return { y, h, c };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

// Node ≥ 16.4 has WebAssembly SIMD; elsewhere lstm.ts runs its JavaScript loop (covered by the conformance suite).
describe.skipIf(!simdSupported())("LSTM forward in WebAssembly vs a float64 reference", () => {
  const arena = new Arena(instantiateKernels());
  for (const [T, B, D, H] of [
    [5, 4, 3, 8],
    [7, 3, 1, 4],
    [3, 9, 13, 12],
  ] as const) {
    for (const reverse of [false, true]) {
      test(`T=${T} B=${B} D=${D} H=${H} reverse=${reverse}, ragged lengths, initial states`, () => {
        const x = filled(T * B * D, 1 + T, 1.5);
        const wih = filled(4 * H * D, 2, 0.5);
        const whh = filled(4 * H * H, 3, 0.5);
        const bias = filled(4 * H, 4, 0.5);
        const lengths = Int32Array.from({ length: B }, (_, b) => [T, 0, 1, T - 1, 2][b % 5]!);
        const h0 = filled(B * H, 5);
        const c0 = filled(B * H, 6, 2);
        const n = T * B * H;
        const out = {
          y: new Float32Array(n).fill(Number.NaN),
          h: new Float32Array(B * H),
          c: new Float32Array(B * H),
          gates: new Float32Array(4 * n),
          hprev: new Float32Array(n),
          cprev: new Float32Array(n),
          tc: new Float32Array(n),
        };
        const run = new LstmWasmForward(arena);
        const seq = { x, T, B, D, lengths };
        const wihT = PackedWeight.transposed(wih, 0, 4 * H, D, true).get(arena);
        const whhT = PackedWeight.transposed(whh, 0, 4 * H, H, true).get(arena);
        for (const record of [false, true]) {
          run.run(seq, reverse, H, { data: h0, off: 0 }, { data: c0, off: 0 }, record, bias, wihT, whhT, out);
          const ref = reference(x, [T, B, D, H], wih, whh, bias, lengths, reverse, h0, c0);
          expect(maxAbsDiff(out.y, ref.y)).toBeLessThan(1e-5);
          expect(maxAbsDiff(out.h, ref.h)).toBeLessThan(1e-5);
          expect(maxAbsDiff(out.c, ref.c)).toBeLessThan(1e-5);
        }
        // Recorded: h before each active step, and the activated gates of an active row.
        const t = reverse ? T - 1 : 0;
        expect(maxAbsDiff(out.hprev.subarray(t * B * H, t * B * H + H), h0.subarray(0, H))).toBe(0);
        const i0 = out.gates[t * B * 4 * H]!;
        expect(i0 > 0 && i0 < 1).toBe(true);
      });
    }
  }
});
