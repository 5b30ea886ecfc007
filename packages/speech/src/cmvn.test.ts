import { describe, expect, test } from "vitest";
import { Cmvn, CmvnAccumulator, cmvnUtterance, STD_FLOOR } from "./cmvn.js";
import { seededRandom } from "./split.js";
import type { FloatTensor } from "./tensor.js";

function randomFeatures(frames: number, dim: number, seed: number, offset: number): FloatTensor {
  const r = seededRandom(seed);
  return {
    shape: [frames, dim],
    data: Float32Array.from({ length: frames * dim }, (_, i) => offset + (i % dim) * r() * 10),
  };
}

/** Textbook two-pass mean / population std over all frames of all utterances, per dimension. */
function textbook(utts: FloatTensor[], dim: number) {
  const all = utts.flatMap((u) => [...u.data]);
  const n = all.length / dim;
  const mean = Array.from(
    { length: dim },
    (_, d) => all.filter((_, i) => i % dim === d).reduce((a, b) => a + b, 0) / n,
  );
  const std = mean.map((m, d) =>
    Math.sqrt(all.filter((_, i) => i % dim === d).reduce((a, b) => a + (b - m) ** 2, 0) / n),
  );
  return { mean, std };
}

describe("global CMVN", () => {
  const utts = [
    randomFeatures(50, 4, 1, 100),
    randomFeatures(7, 4, 2, -3),
    randomFeatures(0, 4, 3, 0),
    randomFeatures(120, 4, 4, 5),
  ];

  test("statistics merged across utterances equal the two-pass formula over all frames", () => {
    const cmvn = Cmvn.fit(utts);
    const ref = textbook(utts, 4);
    expect(cmvn.frames).toBe(177);
    for (const [d, m] of ref.mean.entries()) expect(cmvn.mean[d]).toBeCloseTo(m, 4);
    for (const [d, s] of ref.std.entries()) expect(cmvn.std[d]! / s).toBeCloseTo(1, 5);
  });

  test("applied to its own data: zero mean, unit variance", () => {
    const cmvn = Cmvn.fit(utts);
    const normalized = utts.map((u) => cmvn.apply(u));
    const ref = textbook(normalized, 4);
    for (const m of ref.mean) expect(Math.abs(m)).toBeLessThan(1e-5);
    for (const s of ref.std.slice(1)) expect(s).toBeCloseTo(1, 5);
  });

  test("a constant dimension gets the std floor instead of dividing by zero", () => {
    const c = Cmvn.fit([{ shape: [3, 2], data: Float32Array.from([1, 5, 2, 5, 3, 5]) }]);
    expect(c.std[1]).toBe(Math.fround(STD_FLOOR));
    expect(c.apply({ shape: [1, 2], data: Float32Array.from([2, 5]) }).data[1]).toBe(0);
  });

  test("JSON and Float32Array forms round-trip exactly", () => {
    const cmvn = Cmvn.fit(utts);
    const viaJson = Cmvn.fromJSON(JSON.parse(JSON.stringify(cmvn)));
    expect(viaJson.mean).toEqual(cmvn.mean);
    expect(viaJson.std).toEqual(cmvn.std);
    expect(viaJson.frames).toBe(177);
    const packed = cmvn.toFloat32Array();
    expect(packed.length).toBe(8);
    const back = Cmvn.fromFloat32Array(packed);
    expect(back.apply(utts[0]!).data).toEqual(cmvn.apply(utts[0]!).data);
  });

  test("errors: dimension mismatch, bad records, nothing to fit", () => {
    const cmvn = Cmvn.fit(utts);
    expect(() => cmvn.apply(randomFeatures(3, 5, 1, 0))).toThrowError(
      /CMVN_MISMATCH: Cmvn.apply: features have 5 dims, the statistics 4/,
    );
    expect(() => new CmvnAccumulator().add(utts[0]!).add(randomFeatures(2, 3, 1, 0))).toThrowError(/CMVN_MISMATCH/);
    expect(() => Cmvn.fromJSON({ kind: "cmvn", mean: [0, 1], std: [1] })).toThrowError(/CMVN_BAD_STATS/);
    expect(() => Cmvn.fromJSON({ mean: [0], std: [1] })).toThrowError(/CMVN_BAD_STATS/);
    expect(() => Cmvn.fromJSON({ kind: "cmvn", mean: [0], std: [0] })).toThrowError(/CMVN_BAD_STATS: Cmvn: dim 0/);
    expect(() => Cmvn.fromFloat32Array(new Float32Array(3))).toThrowError(/CMVN_BAD_STATS/);
    expect(() => Cmvn.fit([])).toThrowError(/CMVN_BAD_STATS: CmvnAccumulator.finish: no frames/);
  });
});

describe("per-utterance CMVN", () => {
  test("each utterance is normalized with its own statistics", () => {
    const u = randomFeatures(40, 3, 9, 50);
    const out = cmvnUtterance(u);
    const ref = textbook([out], 3);
    for (const m of ref.mean) expect(Math.abs(m)).toBeLessThan(1e-5);
    for (const s of ref.std.slice(1)) expect(s).toBeCloseTo(1, 5);
    expect(() => cmvnUtterance({ shape: [2, 3], data: new Float32Array(5) })).toThrowError(/CMVN_MISMATCH/);
  });
});
