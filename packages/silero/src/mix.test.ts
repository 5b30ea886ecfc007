import { describe, expect, it } from "vitest";
import { joinWithPauses } from "./mix.js";
import { addNoise } from "./noise.js";

describe("joinWithPauses", () => {
  const a = { samples: Float32Array.of(1, 1, 1), segments: [{ start: 0, end: 3, label: "aa" }] };
  const b = { samples: Float32Array.of(2, 2), segments: [{ start: 1, end: 2, label: "b" }] };

  it("places each utterance after a pause and shifts its segments; pauses are zeros", () => {
    const { samples, segments } = joinWithPauses([a, b], { seed: 1, minPause: 0.001, maxPause: 0.002 });
    const nonZero = [...samples].map((v, i) => (v === 0 ? -1 : i)).filter((i) => i >= 0);
    expect(nonZero).toHaveLength(5);
    for (const s of segments) {
      const value = s.label === "aa" ? 1 : 2;
      for (let i = s.start; i < s.end; i++) expect(samples[i]).toBe(value);
    }
    // 16..32 samples of pause at 16 kHz before, between and after.
    expect(samples.length).toBeGreaterThanOrEqual(5 + 3 * 16);
    expect(samples.length).toBeLessThanOrEqual(5 + 3 * 32);
    expect(joinWithPauses([a, b], { seed: 1, minPause: 0.001, maxPause: 0.002 })).toEqual({ samples, segments });
  });

  it("refuses a bad pause range and no utterances", () => {
    expect(() => joinWithPauses([a], { seed: 1, minPause: 1, maxPause: 0.5 })).toThrow(/got 1 and 0.5/);
    expect(() => joinWithPauses([], { seed: 1 })).toThrow(/no utterances/);
  });
});

describe("addNoise", () => {
  it("mixes seeded noise at the asked SNR (measured on the added noise)", () => {
    const x = Float32Array.from({ length: 16000 }, (_, i) => Math.sin(i / 10));
    for (const colour of ["white", "brown"] as const) {
      const y = addNoise(x, { snrDb: -10, seed: 3, colour });
      let signal = 0;
      let noise = 0;
      for (let i = 0; i < x.length; i++) {
        signal += x[i]! ** 2;
        noise += (y[i]! - x[i]!) ** 2;
      }
      expect(10 * Math.log10(signal / noise)).toBeCloseTo(-10, 3);
      expect(addNoise(x, { snrDb: -10, seed: 3, colour })).toEqual(y);
    }
  });

  it("refuses a silent recording and a non-finite SNR", () => {
    expect(() => addNoise(new Float32Array(4), { snrDb: 0, seed: 1 })).toThrow(/silent/);
    expect(() => addNoise(Float32Array.of(1), { snrDb: Number.NaN, seed: 1 })).toThrow(/got NaN/);
  });
});
