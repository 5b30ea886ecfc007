import { describe, expect, test } from "vitest";
import type { Tensor } from "../tensor/tensor.js";
import { sequenceDataset, vectorDataset } from "./dataset.js";

describe("sequenceDataset", () => {
  // Three examples of 2, 3 and 1 frames, D = 2; example k's frame t is [10k + t, −(10k + t)].
  const frames = (k: number, L: number) =>
    Float32Array.from({ length: 2 * L }, (_, i) => (i % 2 ? -1 : 1) * (10 * k + (i >> 1)));
  const lengths = [2, 3, 1];

  test("pads time-major [T, B, D] with lengths, float targets [T, B, O] padded with zeros", () => {
    const data = sequenceDataset(
      lengths.map((L, k) => ({ x: frames(k, L), y: Float32Array.from({ length: L }, (_, t) => 100 * k + t) })),
      { input: "mfcc", features: 2 },
    );
    expect(data.size).toBe(3);
    const batch = data.batch([2, 0]);
    expect(Object.keys(batch.inputs).sort()).toEqual(["lengths", "mfcc"]);
    expect(batch.inputs.lengths).toEqual(Int32Array.of(1, 2));
    const x = batch.inputs.mfcc as { shape: number[]; data: Float32Array };
    expect(x.shape).toEqual([2, 2, 2]);
    // t = 0: [ex2 f0, ex0 f0], t = 1: [padding, ex0 f1]
    expect(Array.from(x.data)).toEqual([20, -20, 0, -0, 0, 0, 1, -1]);
    expect(batch.target.shape).toEqual([2, 2, 1]);
    expect(Array.from(batch.target.data)).toEqual([200, 0, 0, 1]);
  });

  test("int labels become an IntTensor [T, B] padded with 0; the lengths feed can be renamed", () => {
    const data = sequenceDataset(
      lengths.map((L, k) => ({ x: frames(k, L), y: Int32Array.from({ length: L }, (_, t) => k + t + 1) })),
      { input: "x", features: 2, lengths: "len" },
    );
    const batch = data.batch([0, 1, 2]);
    expect(batch.inputs.len).toEqual(Int32Array.of(2, 3, 1));
    expect(batch.target.shape).toEqual([3, 3]);
    expect(batch.target.data).toBeInstanceOf(Int32Array);
    expect(Array.from(batch.target.data)).toEqual([1, 2, 3, 2, 3, 0, 0, 4, 0]);
  });

  test("malformed examples are named", () => {
    const ok = { x: new Float32Array(4), y: new Float32Array(2) };
    const make = (bad: { x: Float32Array; y: Float32Array | Int32Array }, targets?: number) => () =>
      sequenceDataset([ok, bad], { input: "x", features: 2, ...(targets ? { targets } : {}) });
    expect(make({ x: new Float32Array(3), y: new Float32Array(1) })).toThrow(
      /example 1: x has 3 values, not a multiple of features = 2/,
    );
    expect(make({ x: new Float32Array(4), y: new Float32Array(3) })).toThrow(
      /example 1: y has 3 values, expected 2 frames × 1/,
    );
    expect(make({ x: new Float32Array(4), y: new Int32Array(2) })).toThrow(
      /example 1: y is Int32Array but example 0's is Float32Array/,
    );
    expect(make({ x: new Float32Array(4), y: new Float32Array(2) }, 2)).toThrow(
      /example 0: y has 2 values, expected 2 frames × 2/,
    );
    expect(make({ x: new Float32Array(4), y: new Float32Array(2) })).not.toThrow();
    expect(make({ x: new Float32Array(4), y: new Float32Array(3) })).toThrow(
      expect.objectContaining({ code: "BAD_DATASET" }),
    );
    expect(() => sequenceDataset([], { input: "x", features: 0 })).toThrow(
      expect.objectContaining({ code: "BAD_OPTIONS" }),
    );
  });

  test("lengths: false feeds no lengths and needs examples of one length", () => {
    const data = sequenceDataset(
      [0, 1].map((k) => ({ x: frames(k, 2), y: Int32Array.of(k, k) })),
      { input: "x", features: 2, lengths: false },
    );
    const batch = data.batch([1, 0]);
    expect(Object.keys(batch.inputs)).toEqual(["x"]);
    expect((batch.inputs.x as Tensor).shape).toEqual([2, 2, 2]);
    expect(() =>
      sequenceDataset(
        lengths.map((L, k) => ({ x: frames(k, L), y: new Int32Array(L) })),
        { input: "x", features: 2, lengths: false },
      ),
    ).toThrow(/example 1: x has 3 frames but example 0 has 2; with lengths: false nothing masks padded steps/);
  });

  test("an index outside the dataset is refused", () => {
    const data = sequenceDataset([{ x: new Float32Array(2), y: Int32Array.of(1) }], { input: "x", features: 2 });
    expect(() => data.batch([1])).toThrow(/index 1 is outside 0..0/);
  });
});

describe("vectorDataset", () => {
  test("stacks [B, D] inputs with [B, O] float targets or [B] labels", () => {
    const floats = vectorDataset(
      [0, 1, 2].map((i) => ({ x: Float32Array.of(i, i + 0.5), y: Float32Array.of(-i) })),
      { input: "v" },
    );
    const b = floats.batch([2, 0]);
    expect(b.inputs.v).toEqual({ shape: [2, 2], data: Float32Array.of(2, 2.5, 0, 0.5) });
    expect(b.target).toEqual({ shape: [2, 1], data: Float32Array.of(-2, -0) });
    const labels = vectorDataset(
      [0, 1, 2].map((i) => ({ x: Float32Array.of(i), y: 2 - i })),
      { input: "v" },
    );
    expect(labels.batch([0, 1]).target).toEqual({ shape: [2], data: Int32Array.of(2, 1) });
  });

  test("malformed examples are named", () => {
    const f = (y: Float32Array | number) => ({ x: Float32Array.of(1, 2), y });
    expect(() => vectorDataset([f(1), { x: Float32Array.of(1), y: 1 }], { input: "v" })).toThrow(
      /example 1: x has 1 values/,
    );
    expect(() => vectorDataset([f(1), f(1.5)], { input: "v" })).toThrow(/example 1: label 1.5/);
    expect(() => vectorDataset([f(1), f(Float32Array.of(1))], { input: "v" })).toThrow(
      /example 1: y is a Float32Array/,
    );
    expect(() => vectorDataset([f(Float32Array.of(1)), f(Float32Array.of(1, 2))], { input: "v" })).toThrow(
      /example 1: y has 2 values, expected 1/,
    );
  });
});
