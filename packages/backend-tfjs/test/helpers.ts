/**
 * Test helpers: a started cpu runtime, a tolerance measure and deterministic tensors. The torch-generated training
 * fixtures come from @recurrent/conformance (`loadTrainingFixture`).
 */
import type { Tensor } from "@recurrent/core";
import { Runtime } from "../src/runtime.js";

/** The tfjs cpu runtime, started once per test file. */
export async function cpuRuntime(): Promise<Runtime> {
  return Runtime.start({ backend: "cpu" });
}

/** The largest of |actual − expected| / (atol + rtol·|expected|); ≤ 1 means allclose. */
export function worstError(actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number, rtol: number): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / (atol + rtol * Math.abs(expected[i]!)));
  }
  return worst;
}

/** A deterministic pseudo-random float32 tensor in [−1, 1) (a small LCG; values only need to be varied). */
export function randomTensor(shape: readonly number[], seed: number): Tensor {
  const size = shape.reduce((a, d) => a * d, 1);
  const data = new Float32Array(size);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 31 - 1;
  }
  return { shape: [...shape], data };
}
