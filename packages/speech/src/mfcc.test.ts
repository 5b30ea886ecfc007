import { describe, expect, test } from "vitest";
import { fixture, maxColumnRelativeError, realAudio } from "../test/helpers.js";
import { SpeechError } from "./errors.js";
import { addDeltas, mfcc, mfccFromAudio, staticMfcc } from "./mfcc.js";
import { frameCount } from "./mfcc-recipe.js";
import { resample } from "./resample.js";

interface MfccFixture {
  shape: [number, number];
  mfcc: number[][];
  samples?: number[];
}

describe("MFCC-39 matches the independent numpy implementation (tooling/corpus/mfcc_fixtures.py)", () => {
  test.each(["agent-pass", "digits-7"])("real recording %s to 1e-4 relative", (id) => {
    const ref = fixture<MfccFixture>(`mfcc-${id}.json`);
    const got = mfcc(realAudio(id));
    expect(got.shape).toEqual(ref.shape);
    expect(maxColumnRelativeError(got.data, ref.mfcc)).toBeLessThan(1e-4);
  });

  test("synthetic chirp between stretches of exact digital silence (log floor)", () => {
    const ref = fixture<MfccFixture>("mfcc-chirp.json");
    const samples = Float32Array.from(ref.samples!, (v) => v / 32768);
    const got = mfcc(samples);
    expect(got.shape).toEqual(ref.shape);
    expect(maxColumnRelativeError(got.data, ref.mfcc)).toBeLessThan(1e-4);
    // the first frame is all zeros: log energy sits exactly at the floor, log(1) = 0
    expect(got.data[0]).toBe(0);
  });
});

describe("framing and shapes", () => {
  test("T = 1 + floor((N - 400) / 160), 0 below one frame", () => {
    expect([0, 399, 400, 559, 560, 16000].map(frameCount)).toEqual([0, 0, 1, 1, 2, 98]);
    expect(mfcc(new Float32Array(399)).shape).toEqual([0, 39]);
    expect(staticMfcc(new Float32Array(16000)).shape).toEqual([98, 13]);
  });

  test("addDeltas of a linear ramp: Δ is the slope inside, ΔΔ zero inside", () => {
    const T = 9;
    const data = new Float32Array(T * 13);
    for (let t = 0; t < T; t++) data.fill(3 * t, t * 13, (t + 1) * 13);
    const out = addDeltas({ shape: [T, 13], data }).data;
    expect(out[4 * 39 + 13]).toBeCloseTo(3, 6); // Σ n·(3n·2)/10 = 3
    expect(out[4 * 39 + 26]).toBeCloseTo(0, 6);
    // edge repeated: Δ_0 = (1·(3 − 0) + 2·(6 − 0)) / 10 = 1.5
    expect(out[13]).toBeCloseTo(1.5, 6);
  });

  test("mfccFromAudio resamples other rates to 16 kHz first", () => {
    const audio8k = resample(realAudio("digits-7"), 16000, 8000);
    const got = mfccFromAudio({ samples: audio8k, sampleRate: 8000 });
    expect(got.shape[0]).toBe(frameCount(audio8k.length * 2));
  });

  test("bad input has specific errors", () => {
    const bad = new Float32Array(800);
    bad[500] = Number.NaN;
    expect(() => mfcc(bad)).toThrowError(SpeechError);
    expect(() => mfcc(bad)).toThrowError(/MFCC_BAD_INPUT: staticMfcc: sample 500 is NaN/);
    expect(() => addDeltas({ shape: [4, 12], data: new Float32Array(48) })).toThrowError(/MFCC_BAD_INPUT.*\[T, 13\]/);
  });
});
