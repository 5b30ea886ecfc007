// Expected values by hand from PyTorch's Conv1d (cross-correlation): y[t] = b + Σ_k w[k]·x[t − padLeft + k·d],
// with padded frames (garbage here) reading as zeros.
import { conv1d, input, sequential } from "@recurrent/core";
import { describe, expect, test } from "vitest";
import { expectClose, frame, runGraph, t } from "../test-helpers.js";

// [T=3, B=2, D=1]: sample 0 = 1, 2, 3; sample 1 = 4, then garbage (length 1).
const x = t([3, 2, 1], [1, 4, 2, 50, 3, 70]);
const lengths = Int32Array.from([3, 1]);
const series = (y: Parameters<typeof frame>[0], b: number, T: number) =>
  Array.from({ length: T }, (_, s) => frame(y, s, b)[0] as number);

describe("conv1d export", () => {
  test("causal, kernel 2: y[t] = 10·x[t−1] + x[t] + 0.5", async () => {
    const g = sequential("c", [input("x", 1), conv1d("y", { filters: 1, kernelSize: 2, padding: "causal" })]);
    const { y } = await runGraph(g, { "y/weight": t([1, 1, 2], [10, 1]), "y/bias": t([1], [0.5]) }, { x, lengths });
    expectClose(series(y!, 0, 3), [1.5, 12.5, 23.5]);
    expectClose(series(y!, 1, 1), [4.5]);
  });

  test("same, kernel 3: the future frame of a short sample reads zero", async () => {
    const g = sequential("c", [input("x", 1), conv1d("y", { filters: 1, kernelSize: 3, useBias: false })]);
    const { y } = await runGraph(g, { "y/weight": t([1, 1, 3], [100, 10, 1]) }, { x, lengths });
    expectClose(series(y!, 0, 3), [12, 123, 230]);
    expectClose(series(y!, 1, 1), [40]);
  });

  test("same with an even kernel pads the extra frame on the right (PyTorch)", async () => {
    const g = sequential("c", [input("x", 1), conv1d("y", { filters: 1, kernelSize: 2, useBias: false })]);
    const { y } = await runGraph(g, { "y/weight": t([1, 1, 2], [10, 1]) }, { x, lengths });
    expectClose(series(y!, 0, 3), [12, 23, 30]);
  });

  test("causal with dilation 2, two filters, relu", async () => {
    const g = sequential("c", [
      input("x", 1),
      conv1d("y", { filters: 2, kernelSize: 2, dilation: 2, padding: "causal", activation: "relu", useBias: false }),
    ]);
    const { y } = await runGraph(g, { "y/weight": t([2, 1, 2], [10, 1, -10, -1]) }, { x, lengths });
    expectClose(frame(y!, 2, 0), [13, 0]);
    expectClose(frame(y!, 0, 1), [4, 0]);
  });

  // [T=5, B=1, D=1] = 1..5, declared without lengths (a conv that changes T reads no lengths feed).
  const audio = t([5, 1, 1], [1, 2, 3, 4, 5]);
  const strided = (options: Parameters<typeof conv1d>[1]) =>
    sequential("c", [input("x", 1, { lengths: false }), conv1d("y", options)]);

  test("valid, kernel 2, stride 2: windows (1, 2), (3, 4); the 5th frame is read by none (T 5 → 2)", async () => {
    const g = strided({ filters: 1, kernelSize: 2, stride: 2, padding: "valid", useBias: false });
    const { y } = await runGraph(g, { "y/weight": t([1, 1, 2], [10, 1]) }, { x: audio });
    expect(y?.shape).toEqual([2, 1, 1]);
    expectClose([...y!.data], [12, 34]);
  });

  test("same, kernel 3, stride 2: one zero frame on each side, windows (0,1,2), (2,3,4), (4,5,0) (T 5 → 3)", async () => {
    const g = strided({ filters: 1, kernelSize: 3, stride: 2, useBias: false });
    const { y } = await runGraph(g, { "y/weight": t([1, 1, 3], [100, 10, 1]) }, { x: audio });
    expect(y?.shape).toEqual([3, 1, 1]);
    expectClose([...y!.data], [12, 234, 450]);
  });
});
