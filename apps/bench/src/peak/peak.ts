/**
 * Measures one core's peak as WebAssembly reaches it (fma-module.ts): the best of many short runs, since on a
 * shared machine the best run is the one least interrupted. The fused multiply-add loop where relaxed SIMD
 * validates (main.ts runs with `--experimental-wasm-relaxed-simd`), else multiply then add.
 */
import { FLOP_PER_ITERATION, fmaLoopModule } from "./fma-module.js";

/** What {@link measurePeak} found. */
export interface Peak {
  /** `fma`: relaxed-SIMD f32x4 fused multiply-add; `mul+add`: f32x4 multiply then add. */
  readonly kernel: "fma" | "mul+add";
  /** Best GFLOP/s of one thread. */
  readonly gflops: number;
  /** Timed runs. */
  readonly runs: number;
}

/** GFLOP/s of `iterations` loop iterations in `ms` milliseconds. */
export function loopGflops(iterations: number, ms: number): number {
  return (iterations * FLOP_PER_ITERATION) / (ms * 1e6);
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

/**
 * The best of `runs` runs of `iterations` iterations after `warmups` untimed ones (which let V8 tier the loop
 * up from its baseline compiler; a call already running never switches tiers).
 */
export async function measurePeak(runs = 40, iterations = 1_000_000, warmups = 10): Promise<Peak> {
  const fmaBytes = fmaLoopModule(true);
  const fma = WebAssembly.validate(fmaBytes);
  const module = await WebAssembly.compile(fma ? fmaBytes : fmaLoopModule(false));
  const instance = await WebAssembly.instantiate(module);
  const run = instance.exports.run as (n: number) => number;
  for (let i = 0; i < warmups; i++) {
    run(iterations);
    await pause();
  }
  let best = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    run(iterations);
    best = Math.max(best, loopGflops(iterations, performance.now() - t0));
    await pause();
  }
  return { kernel: fma ? "fma" : "mul+add", gflops: best, runs };
}
