import { describe, expect, test } from "vitest";
import { formatParity, judgeParity, PARITY_TARGETS, type ParityTarget } from "./parity.js";
import type { WorkloadResult } from "./protocol.js";

const ok = (system: string, workload: string, samples: number[], size = 100): WorkloadResult =>
  ({ status: "ok", system, workload, samples, warmups: 1, size }) as WorkloadResult;

const parity: ParityTarget = PARITY_TARGETS.find((t) => t.group === "parity" && t.workload === "W1")!;
const single: ParityTarget = PARITY_TARGETS.find((t) => t.group === "single-threaded" && t.workload === "W1")!;
const w4: ParityTarget = PARITY_TARGETS.find((t) => t.workload === "W4")!;

describe("the targets of issue #14", () => {
  test("are W1, W5, GRU, RNN, FFN train ≤ 1.0× best PyTorch and ≤ 1.5× one thread; W3 ≤ 2× ORT; W4 1.5× faster", () => {
    const summary = PARITY_TARGETS.map((t) => `${t.group} ${t.workload} ${t.against.join("+")} ${t.maxRatio}`);
    expect(summary).toEqual([
      "parity W1 torch-1+torch-2 1",
      "parity W5 torch-1+torch-2 1",
      "parity W2 torch-1+torch-2 1",
      "parity W6 torch-1+torch-2 1",
      "parity W7 torch-1+torch-2 1",
      "single-threaded W1 torch-1 1.5",
      "single-threaded W5 torch-1 1.5",
      "single-threaded W2 torch-1 1.5",
      "single-threaded W6 torch-1 1.5",
      "single-threaded W7 torch-1 1.5",
      "inference W3 ort 2",
      "inference W4 ort 0.6666666666666666",
    ]);
  });
});

describe("judgeParity", () => {
  test("takes the faster PyTorch row for parity and the 1-thread row for single-threaded", () => {
    // js median 50; torch-1 median 40, torch-2 median 60 → parity 50/40 = 1.25 (missed), single 1.25 (met).
    const results = [ok("js", "W1", [50, 49, 51]), ok("torch-1", "W1", [40]), ok("torch-2", "W1", [60, 61, 59])];
    const [p, s] = judgeParity(results, [parity, single]);
    expect(p).toEqual({ target: parity, status: "missed", ratio: 1.25, against: "torch-1", system: "js" });
    expect(s).toEqual({ target: single, status: "met", ratio: 1.25, against: "torch-1", system: "js" });
  });

  test("parity takes backend-js's faster row of 1 and 2 threads; single-threaded only the 1-thread row", () => {
    const results = [ok("js", "W1", [50]), ok("js-2t", "W1", [30]), ok("torch-1", "W1", [40])];
    const [p, s] = judgeParity(results, [parity, single]);
    expect(p).toEqual({ target: parity, status: "met", ratio: 0.75, against: "torch-1", system: "js-2t" });
    expect(s).toMatchObject({ status: "met", ratio: 1.25, system: "js" });
    expect(formatParity([p!])).toContain("| 0.75× (backend-js 2 threads) |");
  });

  test("a ratio exactly at the limit is met; W4 needs js at most 1/1.5 of ORT's time", () => {
    expect(judgeParity([ok("js", "W1", [40]), ok("torch-2", "W1", [40])], [parity])[0]!.status).toBe("met");
    expect(judgeParity([ok("js", "W4", [20], 1000), ok("ort", "W4", [30], 1000)], [w4])[0]!.status).toBe("met");
    expect(judgeParity([ok("js", "W4", [21], 1000), ok("ort", "W4", [30], 1000)], [w4])[0]!.status).toBe("missed");
  });

  test("is not measured when backend-js or every compared row is missing, failed, or at another size", () => {
    const failed: WorkloadResult = { status: "failed", system: "torch-1", workload: "W1", reason: "x" };
    expect(judgeParity([ok("js", "W1", [1]), failed], [single])[0]).toEqual({ target: single, status: "not measured" });
    expect(judgeParity([ok("torch-1", "W1", [1])], [single])[0]!.status).toBe("not measured");
    expect(judgeParity([ok("js", "W1", [1], 20), ok("torch-1", "W1", [1])], [single])[0]!.status).toBe("not measured");
  });
});

describe("formatParity", () => {
  test("one row per target with the compared system, the time ratio and the verdict", () => {
    const results = [
      ok("js", "W1", [50]),
      ok("torch-1", "W1", [40]),
      ok("js", "W4", [20], 1000),
      ok("ort", "W4", [30], 1000),
    ];
    const lines = formatParity(judgeParity(results, [parity, w4])).split("\n");
    const cells = (l: string) =>
      l
        .split("|")
        .slice(1, -1)
        .map((c) => c.trim());
    expect(cells(lines[0]!)).toEqual(["workload", "target", "against", "backend-js / other (time)", "verdict"]);
    expect(cells(lines[2]!)).toEqual([
      "W1 LSTM train step",
      "≤ 1.0× PyTorch (best of 1, 2 threads)",
      "PyTorch 1 thread",
      "1.25×",
      "**missed**",
    ]);
    expect(cells(lines[3]!)).toEqual([
      "W4 LSTM streaming, B=1",
      "≥ 1.5× faster than onnxruntime-node session.run",
      "onnxruntime-node session",
      "0.67× (1.50× as fast)",
      "**met**",
    ]);
  });
});
