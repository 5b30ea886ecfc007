import { describe, expect, test } from "vitest";
import { constant, cosineDecay, stepDecay } from "./schedules.js";

describe("schedules (closed form)", () => {
  test("constant", () => {
    const s = constant(0.3);
    expect([0, 1, 1000].map(s)).toEqual([0.3, 0.3, 0.3]);
  });

  test("stepDecay: initial · factor^⌊step / every⌋", () => {
    const s = stepDecay({ initial: 0.1, factor: 0.5, every: 3 });
    expect([0, 2, 3, 5, 6, 9].map(s)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.0125]);
  });

  test("cosineDecay without warm-up: initial at 0, the mean at half-way, final from `steps` on", () => {
    const s = cosineDecay({ initial: 1, final: 0.2, steps: 8 });
    expect(s(0)).toBe(1);
    expect(s(4)).toBeCloseTo(0.6, 12);
    // cos(π/4) = √2/2: 0.2 + 0.8·(1 + √2/2)/2
    expect(s(2)).toBeCloseTo(0.2 + 0.4 * (1 + Math.SQRT1_2), 12);
    expect(s(8)).toBeCloseTo(0.2, 12);
    expect(s(100)).toBeCloseTo(0.2, 12);
  });

  test("cosineDecay with warm-up: linear (step + 1) / warmup, then the cosine over the remaining steps", () => {
    const s = cosineDecay({ initial: 1, final: 0.1, steps: 10, warmup: 2 });
    expect(s(0)).toBe(0.5);
    expect(s(1)).toBe(1);
    expect(s(2)).toBe(1);
    expect(s(6)).toBeCloseTo(0.55, 12);
    expect(s(10)).toBeCloseTo(0.1, 12);
  });

  test("cosineDecay defaults final to 0", () => {
    expect(cosineDecay({ initial: 2, steps: 4 })(4)).toBeCloseTo(0, 12);
  });

  test.each([
    ["constant(0)", () => constant(0), /constant: lr must be a finite number > 0, got 0/],
    ["constant(NaN)", () => constant(Number.NaN), /lr/],
    ["stepDecay every 0", () => stepDecay({ initial: 1, factor: 0.5, every: 0 }), /every must be a positive integer/],
    ["stepDecay factor −1", () => stepDecay({ initial: 1, factor: -1, every: 2 }), /factor/],
    ["cosineDecay steps 1.5", () => cosineDecay({ initial: 1, steps: 1.5 }), /steps must be a positive integer/],
    [
      "cosineDecay final > initial",
      () => cosineDecay({ initial: 1, final: 2, steps: 5 }),
      /final must be in \[0, initial/,
    ],
    ["cosineDecay warmup = steps", () => cosineDecay({ initial: 1, steps: 5, warmup: 5 }), /warmup/],
  ])("%s throws BAD_OPTIONS", (_, make, message) => {
    expect(make).toThrow(message);
    expect(make).toThrow(expect.objectContaining({ code: "BAD_OPTIONS" }));
  });
});
