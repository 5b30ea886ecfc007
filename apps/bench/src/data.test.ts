import { describe, expect, test } from "vitest";
import { fullLengths, sampleFrames, toBatchMajor, uniformSequence } from "./data.js";

// x[t][b][d] = 100·t + 10·b + d, so every value names its own position.
const x = { shape: [3, 2, 2], data: Float32Array.from([0, 1, 10, 11, 100, 101, 110, 111, 200, 201, 210, 211]) };

describe("layouts", () => {
  test("toBatchMajor puts sample b's frames together: [B, T, D]", () => {
    expect([...toBatchMajor(x)]).toEqual([0, 1, 100, 101, 200, 201, 10, 11, 110, 111, 210, 211]);
  });

  test("sampleFrames lists one sample's frames in time order", () => {
    expect(sampleFrames(x, 1).map((f) => [...f])).toEqual([
      [10, 11],
      [110, 111],
      [210, 211],
    ]);
  });

  test("fullLengths is T for every sample", () => {
    expect([...fullLengths(7, 3)]).toEqual([7, 7, 7]);
  });
});

describe("uniformSequence", () => {
  test("is seeded, shaped [t, b, d] and within [−1, 1)", () => {
    const a = uniformSequence(4, 3, 5, 1);
    expect(a.shape).toEqual([4, 3, 5]);
    expect(a.data).toHaveLength(60);
    expect(a.data.every((v) => v >= -1 && v < 1)).toBe(true);
    expect(uniformSequence(4, 3, 5, 1).data).toEqual(a.data);
    expect(uniformSequence(4, 3, 5, 2).data).not.toEqual(a.data);
  });
});
