import { describe, expect, test } from "vitest";
import type { WorkloadResult } from "./protocol.js";
import { mergeRounds } from "./rounds.js";

const ok = (system: string, workload: string, samples: number[], extra: object = {}): WorkloadResult =>
  ({ status: "ok", system, workload, samples, warmups: 2, size: 100, ...extra }) as WorkloadResult;

describe("mergeRounds", () => {
  test("pools each row's samples over the rounds, sums warm-ups, keeps the largest RSS, in first-seen order", () => {
    const merged = mergeRounds([
      ok("js", "W1", [60, 61], { peakRssMiB: 130, detail: "product kernel fma" }),
      ok("torch-1", "W1", [40]),
      ok("js", "W1", [90], { peakRssMiB: 140, detail: "product kernel fma" }),
      ok("torch-1", "W1", [42, 41]),
    ]);
    expect(merged).toEqual([
      ok("js", "W1", [60, 61, 90], { warmups: 4, peakRssMiB: 140, detail: "product kernel fma" }),
      ok("torch-1", "W1", [40, 42, 41], { warmups: 4 }),
    ]);
  });

  test("a round that failed drops out when another measured; with none measured the first result stands", () => {
    const failed: WorkloadResult = { status: "failed", system: "js", workload: "W1", reason: "timed out" };
    expect(mergeRounds([failed, ok("js", "W1", [5])])).toEqual([ok("js", "W1", [5])]);
    const na: WorkloadResult = { status: "n/a", system: "ort", workload: "W1", reason: "inference only" };
    expect(mergeRounds([na, na])).toEqual([na]);
    expect(mergeRounds([failed, { ...failed, reason: "other" }])).toEqual([failed]);
  });

  test("one round is returned as it is", () => {
    const one = [ok("js", "W3", [1, 2, 3])];
    expect(mergeRounds(one)).toEqual(one);
  });

  test("different sizes for one row are a bug and throw naming them", () => {
    expect(() => mergeRounds([ok("js", "W1", [1]), ok("js", "W1", [1], { size: 20 })])).toThrow(
      "mergeRounds: js W1 measured sizes 100, 20",
    );
  });
});
