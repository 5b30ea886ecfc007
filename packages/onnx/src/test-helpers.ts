/** Helpers shared by this package's tests (not exported from the package). */
import { assertValid, type Feeds, type Graph, type Outputs, type Tensor } from "@recurrent/core";
import { expect } from "vitest";
import { onnxBackend } from "./backend.js";

/** A float tensor from nested-free data. */
export function t(shape: readonly number[], data: readonly number[]): Tensor {
  return { shape: [...shape], data: Float32Array.from(data) };
}

/** Validates `graph` with `weights`, runs it once on onnxBackend and disposes it. */
export async function runGraph(
  graph: Graph,
  weights: Readonly<Record<string, Tensor>>,
  feeds: Feeds,
  fetch?: readonly string[],
): Promise<Outputs> {
  const model = assertValid(graph, weights);
  const exe = await onnxBackend().compile(model, weights);
  try {
    return await exe.run(feeds, fetch === undefined ? {} : { fetch });
  } finally {
    await exe.dispose();
  }
}

/** The feature vector at step `step`, sample `b` of a `[T, B, D]` tensor (or sample `step` of a `[B, D]` one). */
export function frame(x: Tensor, step: number, b?: number): number[] {
  if (b === undefined) {
    const D = x.shape[1] as number;
    return [...x.data.subarray(step * D, (step + 1) * D)];
  }
  const [, B, D] = x.shape as [number, number, number];
  const start = (step * B + b) * D;
  return [...x.data.subarray(start, start + D)];
}

/** Asserts elementwise |actual − expected| ≤ atol. */
export function expectClose(actual: readonly number[], expected: readonly number[], atol = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    if (Math.abs(a - (expected[i] as number)) > atol) {
      expect.fail(
        `element ${i}: got ${a}, expected ${expected[i]} (atol ${atol}); got [${actual}], expected [${expected}]`,
      );
    }
  });
}
