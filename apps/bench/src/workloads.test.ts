import { describe, expect, test } from "vitest";
import { cellStepFlops, denseStepFlops, QUICK_SIZES, WORKLOAD_IDS, workloadFlops, workloadUnit } from "./workloads.js";

// The figures of /work/shared/reference/performance.md's workload table (M = 10⁶, rounded as printed there).
const REFERENCE_MFLOP = { W1: 1756, W2: 1346, W3: 585, W5: 3417 } as const;

describe("FLOP formulas", () => {
  test.each(Object.entries(REFERENCE_MFLOP))("%s rounds to the reference's %i MFLOP per step", (id, mflop) => {
    expect(Math.round(workloadFlops(id as keyof typeof REFERENCE_MFLOP) / 1e6)).toBe(mflop);
  });

  test("W4 is exactly 182,912 FLOP per frame", () => {
    expect(workloadFlops("W4")).toBe(182_912);
  });

  test("W3 is exactly the hand-expanded formula: 100 · (2·32·512·167 + 2·32·128·39 + 15·32·128)", () => {
    expect(workloadFlops("W3")).toBe(100 * (5_472_256 + 319_488 + 61_440));
  });

  test("a train step counts three forward passes", () => {
    expect(workloadFlops("W1")).toBe(3 * workloadFlops("W3"));
  });

  test("GRU uses 3 gate blocks where LSTM uses 4", () => {
    expect(cellStepFlops("lstm", 1) - cellStepFlops("gru", 1)).toBe(2 * 128 * 167);
    expect(denseStepFlops(1)).toBe(2 * 128 * 39);
  });

  test("quick sizes scale the sequence workloads with T and leave W4 per frame", () => {
    for (const id of ["W1", "W2", "W3", "W5"] as const) {
      expect(workloadFlops(id, QUICK_SIZES.T) * (100 / QUICK_SIZES.T)).toBeCloseTo(workloadFlops(id), 0);
    }
    expect(workloadFlops("W4", QUICK_SIZES.T)).toBe(182_912);
  });

  test("only W4 is reported per frame", () => {
    expect(WORKLOAD_IDS.map(workloadUnit)).toEqual(["ms", "ms", "ms", "µs/frame", "ms", "ms", "ms"]);
  });

  test("W6 (simple RNN) has one gate block: 3 · 100 · (2·32·128·167 + 15·32·128 + 2·32·128·39)", () => {
    expect(cellStepFlops("simple", 32)).toBe(2 * 32 * 128 * 167 + 15 * 32 * 128);
    expect(workloadFlops("W6")).toBe(3 * 100 * (1_368_064 + 61_440 + 319_488));
  });

  test("W7 (windowed FFN) counts its three products: 3 · 100 · 2·32·(1599·140 + 140·140 + 140·40)", () => {
    // 1599·140 = 223,860; 140·140 = 19,600; 140·40 = 5,600 → 249,060 multiply-adds per frame.
    expect(workloadFlops("W7")).toBe(3 * 100 * 2 * 32 * 249_060);
  });

  test("the scaling grid's H and B enter the formula: W1 at H=256, B=8", () => {
    // Per step: 2·8·4·256·(39+256) + 15·8·256 + 2·8·256·39 = 4,833,280 + 30,720 + 159,744.
    expect(workloadFlops("W1", 100, 256, 8)).toBe(3 * 100 * (4_833_280 + 30_720 + 159_744));
  });
});
