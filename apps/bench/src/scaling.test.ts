import { describe, expect, test } from "vitest";
import type { WorkloadResult } from "./protocol.js";
import { formatScaling, SCALING_GRID, scalingGflops } from "./scaling.js";

const ok = (system: string, samples: number[], size: number): WorkloadResult =>
  ({ status: "ok", system, workload: "W1", samples, warmups: 1, size }) as WorkloadResult;

describe("the scaling grid", () => {
  test("varies one axis at a time around W1 and spans H 64–512, T 50–400, B 1–64", () => {
    expect(SCALING_GRID.map((s) => `${s.H}/${s.T}/${s.B}`)).toEqual([
      "128/100/32",
      "64/100/32",
      "256/100/32",
      "512/100/32",
      "128/50/32",
      "128/200/32",
      "128/400/32",
      "128/100/1",
      "128/100/8",
      "128/100/64",
    ]);
  });

  test("GFLOP/s at W1's point is the reference's 1,756 MFLOP over the time", () => {
    expect(scalingGflops(SCALING_GRID[0]!, 100)).toBeCloseTo(17.559552, 5);
  });
});

describe("formatScaling", () => {
  test("per point: ms, GFLOP/s, % of the peak of the cores each row may use, and js over the best torch", () => {
    const at = SCALING_GRID[0]!;
    // W1 = 1,755,955,200 FLOP: 100 ms → 17.6 GFLOP/s = 35 % of a 50 GFLOP/s core; torch-2 at 50 ms → 35.1
    // GFLOP/s = 35 % of two cores; js / best torch = 100 / 50.
    const table = formatScaling(
      [
        {
          sizes: at,
          results: [ok("js", [100], 100), ok("torch-1", [80], 100), ok("torch-2", [50], 100)],
        },
        { sizes: SCALING_GRID[1]!, results: [{ status: "failed", system: "js", workload: "W1", reason: "x" }] },
      ],
      50,
    );
    const rows = table
      .split("\n")
      .slice(2)
      .map((l) =>
        l
          .split("|")
          .slice(1, -1)
          .map((c) => c.trim()),
      );
    expect(rows[0]).toEqual([
      "128",
      "100",
      "32",
      "1.76",
      "100",
      "17.6",
      "35 %",
      "80.0",
      "21.9",
      "44 %",
      "50.0",
      "35.1",
      "35 %",
      "2.00×",
    ]);
    expect(rows[1]).toEqual([
      "64",
      "100",
      "32",
      expect.any(String),
      "failed",
      "–",
      "–",
      "–",
      "–",
      "–",
      "–",
      "–",
      "–",
      "–",
    ]);
  });
});
