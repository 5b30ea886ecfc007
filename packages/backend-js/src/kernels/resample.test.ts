/**
 * Closed-form checks of the time-changing ops (strided / valid conv1d, pad) and of magnitude: small cases worked
 * out by hand, and a strided conv against a plain float64 loop over the definition.
 */
import {
  assertValid,
  conv1d,
  type Graph,
  graph,
  input,
  magnitude,
  pad,
  sequential,
  type Tensor,
  tensor,
  type Weights,
} from "@recurrent/core";
import { describe, expect, test } from "vitest";
import { randomTensor } from "../../test/helpers.js";
import { compileProgram } from "../engine/program.js";

/** Runs `g` on `feeds` and returns its first output (and the program, for backward). */
function run(g: Graph, weights: Weights, feeds: Record<string, Tensor | Int32Array>) {
  const program = compileProgram(assertValid(g), weights);
  const tape = program.forward(feeds);
  return { program, tape, y: tape.value(g.outputs[0]!) };
}

/** `[T, 1, 1]` from a list of samples. */
const samples = (values: number[]) => tensor([values.length, 1, 1], values);

describe("pad", () => {
  test("reflect mirrors without repeating the edge; zero adds zeros (by hand)", () => {
    const g = (mode: "zero" | "reflect") =>
      sequential("p", [input("x", 1, { lengths: false }), pad("p", { before: 2, after: 2, mode })]);
    const x = samples([1, 2, 3]);
    expect([...run(g("reflect"), {}, { x }).y.data]).toEqual([3, 2, 1, 2, 3, 2, 1]);
    expect([...run(g("zero"), {}, { x }).y.data]).toEqual([0, 0, 1, 2, 3, 0, 0]);
  });

  test("reflect's gradient folds the mirrored frames back onto their sources (by hand)", () => {
    // y = [x2, x1, x0, x1, x2, x1] (before 2, after 1, T = 3): dx0 = dy2, dx1 = dy1 + dy3 + dy5, dx2 = dy0 + dy4.
    const g = sequential("p", [input("x", 1, { lengths: false }), pad("p", { before: 2, after: 1, mode: "reflect" })]);
    const { program, tape } = run(g, {}, { x: samples([1, 2, 3]) });
    const dy = Float32Array.of(1, 10, 100, 1000, 10_000, 100_000);
    const dx = program.backward(tape, new Map([["p", dy]])).inputGrads.get("x")!;
    expect([...dx]).toEqual([100, 101_010, 10_001]);
  });

  test("frames are whole [B, D] blocks: a batch of 2 with 2 features", () => {
    const g = sequential("p", [input("x", 2, { lengths: false }), pad("p", { before: 1, mode: "reflect" })]);
    // x[t, b, d] = 100t + 10b + d, T = 2.
    const x = tensor([2, 2, 2], [0, 1, 10, 11, 100, 101, 110, 111]);
    const { y } = run(g, {}, { x });
    expect(y.shape).toEqual([3, 2, 2]);
    expect([...y.data]).toEqual([100, 101, 110, 111, 0, 1, 10, 11, 100, 101, 110, 111]);
  });

  test("nothing to add: the value passes through with its lengths", () => {
    const g = sequential("p", [input("x", 1), pad("p", {})]);
    const { y } = run(g, {}, { x: samples([4, 5]), lengths: Int32Array.of(1) });
    expect([...y.data]).toEqual([4, 0]);
    expect([...y.lengths!]).toEqual([1]);
  });

  test("an input too short to reflect is FEED_SHAPE naming the node and both numbers", () => {
    const g = sequential("p", [input("x", 1, { lengths: false }), pad("mirror", { after: 4, mode: "reflect" })]);
    const program = compileProgram(assertValid(g), {});
    expect(() => program.forward({ x: samples([1, 2, 3]) })).toThrow(
      /pad "mirror": its input has 3 steps, fewer than the 5 that reflect padding of 0 before and 4 after needs/,
    );
    expect(() => program.forward({ x: samples([1, 2, 3]) })).toThrow(expect.objectContaining({ code: "FEED_SHAPE" }));
  });
});

/** A plain float64 loop over the definition: y[t, b, f] = bias[f] + Σ_{i,k} W[f, i, k]·x[t·s − before + k·dil]. */
function convByHand(x: Tensor, W: Tensor, bias: Tensor | undefined, stride: number, dil: number, before: number) {
  const [T, B, I] = x.shape as [number, number, number];
  const [F, , K] = W.shape as [number, number, number];
  const field = dil * (K - 1) + 1;
  // The cases below are valid or causal: no zero frames after the sequence.
  const Tout = Math.floor((T + before - field) / stride) + 1;
  const out = new Float64Array(Tout * B * F);
  for (let t = 0; t < Tout; t++) {
    for (let b = 0; b < B; b++) {
      for (let f = 0; f < F; f++) {
        let s = bias ? bias.data[f]! : 0;
        for (let i = 0; i < I; i++) {
          for (let k = 0; k < K; k++) {
            const src = t * stride - before + k * dil;
            if (src >= 0 && src < T) s += W.data[(f * I + i) * K + k]! * x.data[(src * B + b) * I + i]!;
          }
        }
        out[(t * B + b) * F + f] = s;
      }
    }
  }
  return { shape: [Tout, B, F], data: out };
}

describe("conv1d with a stride", () => {
  test("valid, stride 2, dilation 2 against a hand loop", () => {
    const g = sequential("c", [
      input("x", 3, { lengths: false }),
      conv1d("c", { filters: 4, kernelSize: 3, dilation: 2, stride: 2, padding: "valid" }),
    ]);
    const W = randomTensor([4, 3, 3], 1);
    const bias = randomTensor([4], 2);
    const x = randomTensor([11, 2, 3], 3);
    const { y } = run(g, { "c/weight": W, "c/bias": bias }, { x });
    const want = convByHand(x, W, bias, 2, 2, 0);
    // T' = floor((11 − 5) / 2) + 1 = 4.
    expect(y.shape).toEqual([4, 2, 4]);
    expect(want.shape).toEqual([4, 2, 4]);
    y.data.forEach((v, i) => {
      expect(v).toBeCloseTo(want.data[i]!, 5);
    });
  });

  test("causal stride 3 (two zero frames in front) against a hand loop", () => {
    const g = sequential("c", [
      input("x", 2, { lengths: false }),
      conv1d("c", { filters: 2, kernelSize: 3, stride: 3, padding: "causal", useBias: false }),
    ]);
    const W = randomTensor([2, 2, 3], 4);
    const x = randomTensor([7, 1, 2], 5);
    const { y } = run(g, { "c/weight": W }, { x });
    const want = convByHand(x, W, undefined, 3, 1, 2);
    expect(y.shape).toEqual(want.shape); // floor((7 + 2 − 3) / 3) + 1 = 3
    y.data.forEach((v, i) => {
      expect(v).toBeCloseTo(want.data[i]!, 5);
    });
  });

  test("an STFT-like conv (1 → 6, k 4, stride 2) on 0, 1, 2, …: each frame's dot product by hand", () => {
    const g = sequential("c", [
      input("x", 1, { lengths: false }),
      conv1d("stft", { filters: 2, kernelSize: 4, stride: 2, padding: "valid", useBias: false }),
    ]);
    // Filter 0 sums its window, filter 1 takes the first minus the last sample.
    const W = tensor([2, 1, 4], [1, 1, 1, 1, 1, 0, 0, -1]);
    const { y } = run(g, { "stft/weight": W }, { x: samples([0, 1, 2, 3, 4, 5, 6, 7]) });
    // Frames start at 0, 2, 4: windows [0..3], [2..5], [4..7].
    expect([...y.data]).toEqual([6, -3, 14, -3, 22, -3]);
  });

  test("an input shorter than the field is FEED_SHAPE naming the node and both numbers", () => {
    const g = sequential("c", [
      input("x", 1, { lengths: false }),
      conv1d("stft", { filters: 2, kernelSize: 8, stride: 4, padding: "valid" }),
    ]);
    const weights = { "stft/weight": randomTensor([2, 1, 8], 6), "stft/bias": randomTensor([2], 7) };
    const program = compileProgram(assertValid(g), weights);
    const short = () => program.forward({ x: samples([1, 2, 3, 4, 5]) });
    expect(short).toThrow(
      /conv1d "stft": its input has 5 steps, fewer than the 8 its receptive field of 8 frames needs/,
    );
    expect(short).toThrow(expect.objectContaining({ code: "FEED_SHAPE", nodeId: "stft" }));
    expect(program.forward({ x: samples([1, 2, 3, 4, 5, 6, 7, 8]) }).value("stft").shape).toEqual([1, 1, 2]);
  });
});

describe("magnitude", () => {
  test("pairs feature k with k + D/2 (by hand); gradient 0 where the magnitude is 0", () => {
    const g = graph("m", [input("x", 4, { lengths: false }), magnitude("m", "x")], ["m"]);
    // Frame 0: (3, 4) → 5 and (0, 0) → 0. Frame 1: (−5, 12) → 13 and (8, −6) → 10.
    const x = tensor([2, 1, 4], [3, 0, 4, 0, -5, 8, 12, -6]);
    const { program, tape, y } = run(g, {}, { x });
    expect([...y.data]).toEqual([5, 0, 13, 10]);
    const dx = program.backward(tape, new Map([["m", Float32Array.of(1, 1, 2, 1)]])).inputGrads.get("x")!;
    // d/dre = re / |z|, d/dim = im / |z|.
    const want = [3 / 5, 0, 4 / 5, 0, (2 * -5) / 13, 8 / 10, (2 * 12) / 13, -6 / 10];
    dx.forEach((v, i) => {
      expect(v).toBeCloseTo(want[i]!, 6);
    });
  });
});
