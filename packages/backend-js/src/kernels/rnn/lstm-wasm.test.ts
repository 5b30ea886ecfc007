import { describe, expect, test } from "vitest";
import { Arena, instantiateKernels } from "../../math/wasm/arena.js";
import { simdSupported } from "../../math/wasm/simd-support.js";
import { LstmWasm } from "./lstm-wasm.js";

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
    // H not a multiple of 4: gate blocks and states are padded to whole vectors in the arena.
    [4, 5, 3, 5],
    [3, 2, 2, 1],
    [2, 3, 0, 6],
    [3, 4, 5, 127],
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
        const out = { y: new Float32Array(n).fill(Number.NaN), h: new Float32Array(B * H), c: new Float32Array(B * H) };
        const run = new LstmWasm(arena, { wih, whh, bih: bias, bhh: new Float32Array(4 * H) }, D, H, true);
        const seq = { x, T, B, D, lengths };
        for (const record of [false, true]) {
          run.forward(seq, reverse, { data: h0, off: 0 }, { data: c0, off: 0 }, record, out);
          const ref = reference(x, [T, B, D, H], wih, whh, bias, lengths, reverse, h0, c0);
          expect(maxAbsDiff(out.y, ref.y)).toBeLessThan(1e-5);
          expect(maxAbsDiff(out.h, ref.h)).toBeLessThan(1e-5);
          expect(maxAbsDiff(out.c, ref.c)).toBeLessThan(1e-5);
          expect(run.recorded).toBe(record);
        }
      });
    }
  }
});

describe.skipIf(!simdSupported())("LSTM backward in WebAssembly vs float64 finite differences", () => {
  const arena = new Arena(instantiateKernels());
  for (const [T, B, D, H, reverse, withDy] of [
    [4, 3, 3, 4, false, true],
    [4, 3, 3, 4, false, false],
    [4, 3, 3, 4, true, true],
    [4, 3, 3, 4, true, false],
    [4, 3, 2, 5, false, true],
    [3, 3, 1, 3, true, true],
  ] as const) {
    test(`H=${H} reverse=${reverse}, output gradient ${withDy ? "strided (concat layout)" : "absent"}`, () => {
      const x = filled(T * B * D, 11, 1.5);
      const wih = filled(4 * H * D, 12, 0.6);
      const whh = filled(4 * H * H, 13, 0.6);
      const bias = filled(4 * H, 14, 0.5);
      const lengths = new Int32Array([T, 2, 0]);
      const h0 = filled(B * H, 15);
      const c0 = filled(B * H, 16);
      // loss = Σ wy·y + Σ wh·h_N + Σ wc·c_N, in float64 on the reference.
      const wy = filled(T * B * H, 17);
      const wh = filled(B * H, 18);
      const wc = filled(B * H, 19);
      const loss = (p: Record<string, Float32Array>) => {
        const r = reference(p.x!, [T, B, D, H], p.wih!, p.whh!, p.bias!, lengths, reverse, p.h0!, p.c0!);
        let l = 0;
        if (withDy) for (let i = 0; i < r.y.length; i++) l += wy[i]! * r.y[i]!;
        for (let i = 0; i < B * H; i++) l += wh[i]! * r.h[i]! + wc[i]! * r.c[i]!;
        return l;
      };
      const params: Record<string, Float32Array> = { x, wih, whh, bias, h0, c0 };

      const run = new LstmWasm(arena, { wih, whh, bih: bias, bhh: new Float32Array(4 * H) }, D, H, true);
      const n = T * B * H;
      const out = { y: new Float32Array(n), h: new Float32Array(B * H), c: new Float32Array(B * H) };
      run.forward({ x, T, B, D, lengths }, reverse, { data: h0, off: 0 }, { data: c0, off: 0 }, true, out);
      // dy lives in the second half of [T·B, 2H] rows, as a concat merge hands it over.
      const dyBuf = new Float32Array(T * B * 2 * H).fill(Number.NaN);
      for (let r = 0; r < T * B; r++) dyBuf.set(wy.subarray(r * H, (r + 1) * H), r * 2 * H + H);
      const dy = withDy ? { data: dyBuf, off: H, ld: 2 * H } : undefined;
      const dh = wh.slice();
      const dc = wc.slice();
      const grads = {
        wih: new Float32Array(4 * H * D),
        whh: new Float32Array(4 * H * H),
        bih: new Float32Array(4 * H),
        bhh: new Float32Array(4 * H).fill(1), // accumulates: the 1 must stay
      };
      const dx = new Float32Array(T * B * D);
      run.backward(dy, dh, dc, grads, dx);

      const got: Record<string, Float32Array> = {
        x: dx,
        wih: grads.wih,
        whh: grads.whh,
        bias: grads.bih,
        h0: dh,
        c0: dc,
      };
      const eps = 1e-4;
      for (const [name, p] of Object.entries(params)) {
        for (let i = 0; i < p.length; i++) {
          const keep = p[i]!;
          // Perturb in float64 through a Float64-backed copy: the reference reads whatever array it is given.
          const up = Float64Array.from(p);
          up[i] = keep + eps;
          const down = Float64Array.from(p);
          down[i] = keep - eps;
          const fd =
            (loss({ ...params, [name]: up as unknown as Float32Array }) -
              loss({ ...params, [name]: down as unknown as Float32Array })) /
            (2 * eps);
          expect(Math.abs(got[name]![i]! - fd), `${name}[${i}]`).toBeLessThan(2e-4 * (1 + Math.abs(fd)));
        }
      }
      for (let g = 0; g < 4 * H; g++) expect(Math.abs(grads.bhh[g]! - 1 - grads.bih[g]!)).toBeLessThan(1e-6);
    });
  }
});
