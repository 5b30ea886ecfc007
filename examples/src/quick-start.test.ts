import { expect, test } from "vitest";
import { quickStart } from "./quick-start.js";

// Runs the README's main example as it is, so the README cannot promise something that no longer works.
test("quick start trains, reloads, streams and matches onnxruntime", async () => {
  const lines: string[] = [];
  const r = await quickStart((line) => lines.push(line));
  // The LSTM must beat the "repeat the last sample" baseline by a wide margin on held-out sequences.
  expect(r.validationLoss).toBeLessThan(r.repeatLastBaseline / 5);
  // Streaming frame by frame must reproduce the whole-sequence run (same kernels, state carried).
  expect(r.streamMaxDiff).toBeLessThan(1e-6);
  // onnxruntime runs the exported model with the same numbers.
  expect(r.onnxMaxDiff).toBeLessThan(1e-5);
  expect(lines.length).toBeGreaterThanOrEqual(5);
}, 120_000);
