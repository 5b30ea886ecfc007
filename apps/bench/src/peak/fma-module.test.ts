import { setFlagsFromString } from "node:v8";
import { describe, expect, test } from "vitest";
import { ACCUMULATORS, FLOP_PER_ITERATION, fmaLoopModule, X, Y } from "./fma-module.js";
import { loopGflops } from "./peak.js";

// Node 20 validates relaxed SIMD only behind this flag (as the bench's children run).
setFlagsFromString("--experimental-wasm-relaxed-simd");

async function runOf(fma: boolean): Promise<(n: number) => number> {
  const instance = await WebAssembly.instantiate(await WebAssembly.compile(fmaLoopModule(fma)));
  return instance.exports.run as (n: number) => number;
}

/** The loop in plain JavaScript: a ← fround(fround(a·x) + y) per iteration, summed over the accumulators. */
function reference(n: number): number {
  const x = Math.fround(X);
  const y = Math.fround(Y);
  let a = 0;
  for (let i = 0; i < n; i++) a = Math.fround(Math.fround(a * x) + y);
  let sum = 0;
  for (let k = 0; k < ACCUMULATORS; k++) sum = Math.fround(sum + a);
  return sum;
}

describe("the peak loop module", () => {
  test("both variants validate", () => {
    expect(WebAssembly.validate(fmaLoopModule(false))).toBe(true);
    expect(WebAssembly.validate(fmaLoopModule(true))).toBe(true);
  });

  test("multiply + add computes what the same recurrence computes in float32 JavaScript", async () => {
    const run = await runOf(false);
    expect(run(0)).toBe(0);
    for (const n of [1, 2, 7, 1000]) expect(run(n)).toBe(reference(n));
  });

  test("the fused variant agrees to float32 rounding (it rounds once per update)", async () => {
    const run = await runOf(true);
    for (const n of [1, 7, 1000]) expect(run(n)).toBeCloseTo(reference(n), 4);
  });

  test("an iteration is 12 accumulators × 4 lanes × 2 FLOP; GFLOP/s follows", () => {
    expect(FLOP_PER_ITERATION).toBe(96);
    expect(loopGflops(1_000_000, 2)).toBe(48);
  });
});
