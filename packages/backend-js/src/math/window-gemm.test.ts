import { describe, expect, test } from "vitest";
import { pack } from "./gemm.js";
import { wasmArena } from "./wasm/arena.js";
import { WindowProducts, type WindowShape } from "./window-gemm.js";

/** Deterministic values in [-1, 1) (a small LCG, independent of the code under test). */
function filled(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** The float64 reference stack: row (t, b) = frames t−left..t+right of sample b, zero outside 0..L−1. */
function stacked(x: Float32Array, w: WindowShape, lengths: Int32Array | undefined): Float64Array {
  const { T, B, D, left, right } = w;
  const W = left + right + 1;
  const out = new Float64Array(T * B * W * D);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const L = lengths ? lengths[b]! : T;
      for (let j = 0; j < W; j++) {
        const s = t - left + j;
        if (s < 0 || s >= L) continue;
        for (let d = 0; d < D; d++) out[((t * B + b) * W + j) * D + d] = x[(s * B + b) * D + d]!;
      }
    }
  }
  return out;
}

const cases: { name: string; w: WindowShape; O: number; lengths?: number[] }[] = [
  {
    name: "W7's window (±20) on a short sequence, lengths 7, 3, 0",
    w: { T: 7, B: 3, D: 5, left: 20, right: 20 },
    O: 9,
    lengths: [7, 3, 0],
  },
  { name: "left 2 right 0, O not a multiple of 4", w: { T: 6, B: 2, D: 3, left: 2, right: 0 }, O: 6 },
  { name: "left 0 right 3, lengths 1 and 5", w: { T: 5, B: 2, D: 4, left: 0, right: 3 }, O: 8, lengths: [1, 5] },
  {
    name: "more rows than one row block (T·B = 150)",
    w: { T: 50, B: 3, D: 7, left: 1, right: 2 },
    O: 13,
    lengths: [50, 17, 49],
  },
];

describe.skipIf(wasmArena() === undefined)("WindowProducts (a dense layer over a frame stack, no stack built)", () => {
  for (const { name, w, O, lengths: lens } of cases) {
    test(name, () => {
      const arena = wasmArena()!;
      const { T, B, D, left, right } = w;
      const I = (left + right + 1) * D;
      const rows = T * B;
      const lengths = lens ? Int32Array.from(lens) : undefined;
      const x = filled(rows * D, 1);
      const Wt = filled(O * I, 2); // the layer's weight [O, I]
      const dz = filled(rows * O, 3);
      const X = stacked(x, w, lengths);
      const weight = pack(Wt, 0, 1, I, I, O);
      const resident = arena.alloc(4 * weight.data.length);
      arena.f32.set(weight.data, resident >> 2);
      const products = new WindowProducts();
      const y = new Float32Array(rows * O);
      products.forward(arena, x, lengths, w, { ...weight, ptr: resident }, y);
      for (let r = 0; r < rows; r++) {
        for (let o = 0; o < O; o++) {
          let s = 0;
          for (let i = 0; i < I; i++) s += X[r * I + i]! * Wt[o * I + i]!;
          expect(y[r * O + o]).toBeCloseTo(s, 4);
        }
      }
      const dW = new Float32Array(O * I).fill(0.5); // accumulates into what is there
      products.weightGrad(arena, dz, O, dW);
      for (let o = 0; o < O; o++) {
        for (let i = 0; i < I; i++) {
          let s = 0.5;
          for (let r = 0; r < rows; r++) s += dz[r * O + o]! * X[r * I + i]!;
          expect(dW[o * I + i]).toBeCloseTo(s, 4);
        }
      }
      arena.free(resident, 4 * weight.data.length);
    });
  }

  test("a weight that is not resident, or of the wrong depth, is refused with both sizes", () => {
    const arena = wasmArena()!;
    const w = { T: 2, B: 1, D: 2, left: 1, right: 0 };
    const weight = pack(filled(3 * 4, 1), 0, 1, 4, 4, 3);
    const y = new Float32Array(2 * 3);
    expect(() => new WindowProducts().forward(arena, filled(4, 2), undefined, w, weight, y)).toThrow(
      /4 rows \(resident: false\).*2·2 = 4/,
    );
    expect(() => new WindowProducts().weightGrad(arena, new Float32Array(6), 3, new Float32Array(12))).toThrow(
      /no forward/,
    );
  });
});
