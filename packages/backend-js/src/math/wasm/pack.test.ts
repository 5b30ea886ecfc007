/**
 * The `pack` kernel (kernels.wat) against the panel layout written out by hand: element (k, j) of the
 * row-major `[K, N]` source (leading dimension ld) at `dst + p·bs + k·16 + (j & 3)·4` bytes, p = j >> 2, and
 * zeros in the padding columns of the last panel. Shapes cover whole groups of four panels, single panels
 * after them, a partial panel, K = 1 and ld > N.
 */
import { describe, expect, test } from "vitest";
import { Arena, instantiateKernels } from "./arena.js";
import { simdSupported } from "./simd-support.js";

describe.skipIf(!simdSupported())("pack", () => {
  for (const [K, N, ld] of [
    [5, 16, 16],
    [3, 32, 40],
    [7, 20, 20],
    [4, 23, 29],
    [1, 3, 3],
    [9, 7, 12],
    [2, 4, 4],
  ] as const) {
    test(`[${K}, ${N}] with ld ${ld}`, () => {
      const arena = new Arena(instantiateKernels());
      const src = arena.alloc(4 * K * ld);
      const panels = Math.ceil(N / 4);
      const bs = 16 * K;
      const dst = arena.alloc(panels * bs);
      const f32 = arena.f32;
      for (let i = 0; i < K * ld; i++) f32[(src >> 2) + i] = i + 1;
      f32.fill(Number.NaN, dst >> 2, (dst >> 2) + panels * 4 * K);
      arena.kernels.pack(src, ld, K, N, dst, bs);
      const want = new Float32Array(panels * 4 * K);
      for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) want[(j >> 2) * 4 * K + k * 4 + (j & 3)] = k * ld + j + 1;
      expect([...arena.f32.subarray(dst >> 2, (dst >> 2) + want.length)]).toEqual([...want]);
    });
  }
});
