import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { batchMajorToTimeMajor, fullLengths, padSequences, timeMajorToBatchMajor, unpadSequences } from "./batch.js";
import { tensor } from "./tensor.js";

const f32 = (...v: number[]) => Float32Array.from(v);

describe("padSequences", () => {
  test("pads time-major with zeros past each length (hand-computed)", () => {
    // Sample 0: 3 steps of 2 features; sample 1: 1 step.
    const { x, lengths } = padSequences([f32(1, 2, 3, 4, 5, 6), f32(7, 8)], 2);
    expect(x.shape).toEqual([3, 2, 2]);
    // t0: [1,2] [7,8] | t1: [3,4] [0,0] | t2: [5,6] [0,0]
    expect(Array.from(x.data)).toEqual([1, 2, 7, 8, 3, 4, 0, 0, 5, 6, 0, 0]);
    expect(Array.from(lengths)).toEqual([3, 1]);
    expect(lengths).toBeInstanceOf(Int32Array);
  });

  test("maxTime truncates longer sequences and clips their lengths", () => {
    const { x, lengths } = padSequences([f32(1, 2, 3, 4, 5, 6), f32(7, 8)], 2, { maxTime: 2 });
    expect(x.shape).toEqual([2, 2, 2]);
    expect(Array.from(x.data)).toEqual([1, 2, 7, 8, 3, 4, 0, 0]);
    expect(Array.from(lengths)).toEqual([2, 1]);
  });

  test("maxTime beyond the longest pads extra steps", () => {
    const { x, lengths } = padSequences([f32(1), f32(2, 3)], 1, { maxTime: 3 });
    expect(x.shape).toEqual([3, 2, 1]);
    expect(Array.from(x.data)).toEqual([1, 2, 0, 3, 0, 0]);
    expect(Array.from(lengths)).toEqual([1, 2]);
  });

  test("empty sequences and an empty batch", () => {
    const one = padSequences([f32(), f32(1, 2)], 2);
    expect(one.x.shape).toEqual([1, 2, 2]);
    expect(Array.from(one.x.data)).toEqual([0, 0, 1, 2]);
    expect(Array.from(one.lengths)).toEqual([0, 1]);
    const none = padSequences([], 3);
    expect(none.x.shape).toEqual([0, 0, 3]);
    expect(none.lengths.length).toBe(0);
  });

  test.each([0, -1, 1.5, Number.NaN])("features %s is a RangeError", (features) => {
    expect(() => padSequences([f32(1)], features)).toThrow(/features must be a positive integer/);
  });

  test("a sequence whose size is not a multiple of features is a RangeError naming it", () => {
    expect(() => padSequences([f32(1, 2), f32(1, 2, 3)], 2)).toThrow(/sequence 1 has 3 values, not a multiple of 2/);
  });

  test.each([-1, 1.5])("maxTime %s is a RangeError", (maxTime) => {
    expect(() => padSequences([f32(1)], 1, { maxTime })).toThrow(RangeError);
  });
});

describe("unpadSequences", () => {
  test("splits a batch back into per-sample arrays (hand-computed)", () => {
    const x = tensor([3, 2, 2], [1, 2, 7, 8, 3, 4, 0, 0, 5, 6, 0, 0]);
    const out = unpadSequences(x, Int32Array.of(3, 1));
    expect(out.map((s) => Array.from(s))).toEqual([
      [1, 2, 3, 4, 5, 6],
      [7, 8],
    ]);
  });

  test("without lengths every sample has T steps", () => {
    const out = unpadSequences(tensor([2, 2, 1], [1, 2, 3, 4]));
    expect(out.map((s) => Array.from(s))).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });

  test("length 0 gives an empty array", () => {
    expect(unpadSequences(tensor([2, 1, 3]), Int32Array.of(0))[0]!.length).toBe(0);
  });

  test("errors: rank, lengths count, lengths out of range", () => {
    expect(() => unpadSequences(tensor([2, 3]))).toThrow(/expected \[T, B, D\], got \[2, 3\]/);
    expect(() => unpadSequences(tensor([2, 2, 1]), Int32Array.of(1))).toThrow(/lengths has 1 entries for a batch of 2/);
    expect(() => unpadSequences(tensor([2, 1, 1]), Int32Array.of(3))).toThrow(/length 3 of sample 0 is outside 0..2/);
    expect(() => unpadSequences(tensor([2, 1, 1]), Int32Array.of(-1))).toThrow(/length -1/);
  });

  test("round trip: unpad(pad(sequences)) gives the sequences back", () => {
    const seqs = fc.integer({ min: 1, max: 4 }).chain((d) =>
      fc.tuple(
        fc.constant(d),
        fc.array(
          fc
            .integer({ min: 0, max: 5 })
            .chain((t) => fc.array(fc.float({ noNaN: true }), { minLength: t * d, maxLength: t * d })),
          { maxLength: 5 },
        ),
      ),
    );
    fc.assert(
      fc.property(seqs, ([d, list]) => {
        const input = list.map((values) => Float32Array.from(values));
        const { x, lengths } = padSequences(input, d);
        expect(unpadSequences(x, lengths)).toEqual(input);
      }),
      { numRuns: 100 },
    );
  });
});

describe("batch-major ↔ time-major adapters", () => {
  test("[B, T, D] → [T, B, D] (hand-computed)", () => {
    // b0 = steps 1,2,3; b1 = steps 4,5,6 (D = 1).
    const tm = batchMajorToTimeMajor(tensor([2, 3, 1], [1, 2, 3, 4, 5, 6]));
    expect(tm.shape).toEqual([3, 2, 1]);
    expect(Array.from(tm.data)).toEqual([1, 4, 2, 5, 3, 6]);
  });

  test("[T, B, D] → [B, T, D] keeps feature vectors together (hand-computed)", () => {
    // t0: b0 [1,2], b1 [3,4]; t1: b0 [5,6], b1 [7,8].
    const bm = timeMajorToBatchMajor(tensor([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]));
    expect(bm.shape).toEqual([2, 2, 2]);
    expect(Array.from(bm.data)).toEqual([1, 2, 5, 6, 3, 4, 7, 8]);
  });

  test("the two adapters are inverses and do not alias their input", () => {
    fc.assert(
      fc.property(fc.tuple(fc.nat({ max: 4 }), fc.nat({ max: 4 }), fc.integer({ min: 1, max: 3 })), ([p, q, d]) => {
        const x = tensor(
          [p, q, d],
          Array.from({ length: p * q * d }, (_, i) => i),
        );
        const back = timeMajorToBatchMajor(batchMajorToTimeMajor(x));
        expect(back).toEqual(x);
        expect(back.data).not.toBe(x.data);
      }),
      { numRuns: 50 },
    );
  });

  test("rank other than 3 is a RangeError", () => {
    expect(() => batchMajorToTimeMajor(tensor([2, 2]))).toThrow(
      /batchMajorToTimeMajor: expected \[B, T, D\], got \[2, 2\]/,
    );
    expect(() => timeMajorToBatchMajor(tensor([1, 2, 3, 4]))).toThrow(/timeMajorToBatchMajor: expected \[T, B, D\]/);
  });
});

describe("fullLengths", () => {
  test("T for each of the B samples of [T, B, D]", () => {
    const lengths = fullLengths(tensor([5, 3, 2]));
    expect(lengths).toBeInstanceOf(Int32Array);
    expect(Array.from(lengths)).toEqual([5, 5, 5]);
    expect(Array.from(fullLengths(tensor([0, 2, 1])))).toEqual([0, 0]);
  });

  test("refuses a tensor that is not [T, B, D]", () => {
    expect(() => fullLengths(tensor([5, 3]))).toThrow("fullLengths: expected [T, B, D], got [5, 3]");
  });
});
