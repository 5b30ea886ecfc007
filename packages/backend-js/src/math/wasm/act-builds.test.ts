/**
 * The sigmoid/tanh pass of the time loops (`$act` of math.wat, exported as `activate`) in both builds of the
 * loop modules: the plain one and the fused multiply-add one (relaxed SIMD; Node 20 needs the V8 flag set
 * below, and this file runs in its own process). Expected values are `Math.exp` / `Math.tanh` in float64.
 */
import { setFlagsFromString } from "node:v8";
import { describe, expect, test } from "vitest";
import { Arena, instantiateKernels } from "./arena.js";
import { relaxedSimdSupported, simdSupported } from "./simd-support.js";

setFlagsFromString("--experimental-wasm-relaxed-simd");

/** Inputs dense near 0 and out to ±100, plus tiny ones where tanh must keep its relative accuracy. */
function inputs(n: number): Float32Array {
  const xs = Float32Array.from({ length: n }, (_, i) => {
    const u = i / (n - 1) - 0.5;
    return Math.sign(u) * 400 * u * u;
  });
  xs[1] = 1e-30;
  xs[2] = -3e-8;
  xs[3] = 0.3465735912322998; // ln2 / 2: the edge of the reduction's interval
  xs[4] = -44.3614196; // 64 ln2: k = 64 exactly
  return xs;
}

for (const fma of [false, true]) {
  const supported = simdSupported() && (!fma || relaxedSimdSupported());
  describe.skipIf(!supported)(`activate, ${fma ? "fused multiply-add" : "plain"} build`, () => {
    test("sigmoid and tanh stay within 2e-7 (relative) of float64 Math over the float range", () => {
      const arena = new Arena(instantiateKernels({ fma }), fma ? "fma" : "simd");
      const n = 4096;
      const xs = inputs(n);
      const src = arena.alloc(4 * n);
      const dst = arena.alloc(4 * n);
      arena.f32.set(xs, src >> 2);
      for (const [name, fn, f] of [
        ["sigmoid", 0, (v: number) => 1 / (1 + Math.exp(-v))],
        ["tanh", 1, Math.tanh],
      ] as const) {
        arena.kernels.activate(src, dst, n, fn);
        const out = arena.f32.subarray(dst >> 2, (dst >> 2) + n);
        let worst = 0;
        for (let i = 0; i < n; i++) {
          const want = f(xs[i]!);
          worst = Math.max(worst, Math.abs(out[i]! - want) / Math.max(Math.abs(want), 1e-30));
        }
        expect(worst, name).toBeLessThan(2e-7);
      }
    });

    test("the exact points: sigmoid(0) = 0.5, tanh(0) = 0, tanh(-0) = -0, saturation at ±100", () => {
      const arena = new Arena(instantiateKernels({ fma }), fma ? "fma" : "simd");
      const xs = Float32Array.of(0, -0, 100, -100);
      const src = arena.alloc(16);
      const dst = arena.alloc(16);
      arena.f32.set(xs, src >> 2);
      arena.kernels.activate(src, dst, 4, 0);
      expect([...arena.f32.subarray(dst >> 2, (dst >> 2) + 4)].slice(0, 3)).toEqual([0.5, 0.5, 1]);
      expect(arena.f32[(dst >> 2) + 3]).toBeLessThan(1e-37);
      arena.kernels.activate(src, dst, 4, 1);
      expect(Object.is(arena.f32[dst >> 2], 0)).toBe(true);
      expect(Object.is(arena.f32[(dst >> 2) + 1], -0)).toBe(true);
      expect([arena.f32[(dst >> 2) + 2], arena.f32[(dst >> 2) + 3]]).toEqual([1, -1]);
    });
  });
}
