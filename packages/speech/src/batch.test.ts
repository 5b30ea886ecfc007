import { describe, expect, test } from "vitest";
import { padBatch } from "./batch.js";

const seq = (T: number, D: number, base: number) => ({
  shape: [T, D],
  data: Float32Array.from({ length: T * D }, (_, i) => base + i),
});

describe("padBatch: time-major [T, B, D] with lengths", () => {
  test("hand-checked layout: x[t, b, d] = example b's frame t, zero padded", () => {
    const batch = padBatch([
      { features: seq(2, 2, 10), labels: { shape: [2], data: Int32Array.from([1, 2]) } },
      { features: seq(3, 2, 20), labels: { shape: [3], data: Int32Array.from([3, 4, 5]) } },
    ]);
    expect(batch.x.shape).toEqual([3, 2, 2]);
    // t=0: [b0: 10 11][b1: 20 21]; t=1: [12 13][22 23]; t=2: [0 0][24 25]
    expect([...batch.x.data]).toEqual([10, 11, 20, 21, 12, 13, 22, 23, 0, 0, 24, 25]);
    expect(batch.labels?.shape).toEqual([3, 2]);
    expect([...batch.labels!.data]).toEqual([1, 3, 2, 4, 0, 5]);
    expect(batch.lengths).toEqual(Int32Array.from([2, 3]));
  });

  test("without labels there is no labels field", () => {
    const batch = padBatch([{ features: seq(1, 3, 0) }]);
    expect(batch.labels).toBeUndefined();
    expect(batch.x.shape).toEqual([1, 1, 3]);
  });

  test("bad batches throw BATCH_BAD_INPUT", () => {
    expect(() => padBatch([])).toThrowError(/BATCH_BAD_INPUT: padBatch: no examples/);
    expect(() => padBatch([{ features: seq(2, 2, 0) }, { features: seq(2, 3, 0) }])).toThrowError(
      /example 1 has 3 features, example 0 has 2/,
    );
    expect(() => padBatch([{ features: seq(2, 2, 0), labels: { shape: [3], data: new Int32Array(3) } }])).toThrowError(
      /labels are \[3\], expected \[2\]/,
    );
    expect(() =>
      padBatch([
        { features: seq(2, 2, 0), labels: { shape: [2], data: new Int32Array(2) } },
        { features: seq(2, 2, 0) },
      ]),
    ).toThrowError(/1 of 2 examples have labels/);
    expect(() => padBatch([{ features: { shape: [2, 2], data: new Float32Array(3) } }])).toThrowError(
      /expected \[T, D\]/,
    );
  });
});
