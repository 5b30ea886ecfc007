import { describe, expect, test } from "vitest";
import { Arena, ArenaBlock, instantiateKernels } from "./arena.js";
import { simdSupported } from "./simd-support.js";

// Node ≥ 16.4 has WebAssembly SIMD; a runtime without it never builds an arena.
describe.skipIf(!simdSupported())("arena", () => {
  test("blocks are 16-byte aligned, disjoint, and reused after free", () => {
    const arena = new Arena(instantiateKernels());
    const a = arena.alloc(10);
    const b = arena.alloc(100);
    expect(a % 16).toBe(0);
    expect(b % 16).toBe(0);
    expect(b).toBeGreaterThanOrEqual(a + 10 + 16); // the slack after a block stays unused
    arena.free(a, 10);
    expect(arena.alloc(10)).toBe(a);
  });

  test("freed neighbours coalesce into one range that a larger block fits", () => {
    const arena = new Arena(instantiateKernels());
    const a = arena.alloc(64);
    const b = arena.alloc(64);
    arena.alloc(64); // keeps a and b off the top
    arena.free(a, 64);
    arena.free(b, 64);
    expect(arena.alloc(2 * 64 + 16)).toBe(a); // two blocks of 64 + 16 slack hold one of 144 + 16
    expect(arena.alloc(16)).not.toBe(a);
  });

  test("growing the memory keeps the data; f32 follows the new buffer", () => {
    const arena = new Arena(instantiateKernels());
    const p = arena.alloc(16);
    arena.f32[p >> 2] = 42;
    const before = arena.f32;
    const big = arena.alloc(8 * 65536);
    expect(before.length).toBe(0); // the old view is detached by memory.grow
    expect(arena.f32[p >> 2]).toBe(42);
    expect(arena.byteLength).toBeGreaterThanOrEqual(big + 8 * 65536);
  });

  test("an ArenaBlock keeps its address until it must grow", () => {
    const arena = new Arena(instantiateKernels());
    const block = new ArenaBlock(arena);
    const p = block.ensure(100);
    expect(block.ensure(50)).toBe(p);
    expect(block.ensure(100)).toBe(p);
    const q = block.ensure(1000);
    expect(q).not.toBe(0);
    expect(block.ptr).toBe(q);
  });

  test("sigmoid and tanh kernels stay within 2e-7 of Math over the float range", () => {
    const arena = new Arena(instantiateKernels());
    const n = 4096;
    const src = arena.alloc(4 * n);
    const dst = arena.alloc(4 * n);
    const xs = Float32Array.from({ length: n }, (_, i) => {
      const u = i / (n - 1) - 0.5; // dense near 0, out to ±100
      return Math.sign(u) * 100 * u * u * 4;
    });
    xs[1] = 1e-30;
    xs[2] = -3e-8;
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
});
