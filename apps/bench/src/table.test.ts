import { describe, expect, test } from "vitest";
import type { WorkloadResult } from "./protocol.js";
import { formatDetails, formatNumber, formatRatio, formatTable, gflops, speedup } from "./table.js";

const ok = (system: string, workload: string, samples: number[], size = 100): WorkloadResult =>
  ({ status: "ok", system, workload, samples, warmups: 1, size }) as WorkloadResult;

const results: WorkloadResult[] = [
  { ...ok("js", "W3", [110, 100, 90]), peakRssMiB: 101.6, detail: "product kernel fma" } as WorkloadResult,
  ok("tfjs-layers-cpu", "W3", [2000, 3000, 2500, 2600, 2400]),
  { status: "skipped", system: "tfjs-cpu", workload: "W3", reason: "@recurrent/backend-tfjs failed to load: nope" },
  { status: "n/a", system: "ort", workload: "W1", reason: "inference only" },
  { status: "n/a", system: "ort", workload: "W3", reason: "inference only" },
  { status: "n/a", system: "tfjs-layers-cpu", workload: "W4", reason: "other reason" },
  ok("js", "W4", [120, 100, 80], 1000),
  ok("ort", "W4", [150, 160, 140], 1000),
];

describe("number formats", () => {
  test("thousands separators above 100, then one or two decimals", () => {
    expect(formatNumber(6837.4)).toBe("6,837");
    expect(formatNumber(121.6)).toBe("122");
    expect(formatNumber(67.54)).toBe("67.5");
    expect(formatNumber(1.234)).toBe("1.23");
  });

  test("ratios keep about three significant digits", () => {
    expect(formatRatio(12.34)).toBe("12.3×");
    expect(formatRatio(1.234)).toBe("1.23×");
    expect(formatRatio(0.04321)).toBe("0.043×");
  });

  test("GFLOP/s from ms per step and from µs per frame", () => {
    // W3: 585,318,400 FLOP in 100 ms; W4: 182,912 FLOP in 100 µs.
    expect(gflops("W3", 100, 100)).toBeCloseTo(5.853184, 6);
    expect(gflops("W4", 1000, 100)).toBeCloseTo(1.82912, 6);
    expect(gflops("W3", 20, 20)).toBeCloseTo(5.853184, 6);
  });
});

describe("speedup", () => {
  test("is the ratio of medians against tf.layers cpu by default", () => {
    expect(speedup(results, "W3", "js")).toBe(25);
    expect(speedup(results, "W3", "tfjs-layers-cpu")).toBe(1);
  });

  test("compares any two systems, and is undefined when one is missing or sizes differ", () => {
    expect(speedup(results, "W4", "js", "ort")).toBe(1.5);
    expect(speedup(results, "W4", "js")).toBeUndefined();
    expect(speedup(results, "W3", "tfjs-cpu")).toBeUndefined();
    expect(speedup([ok("js", "W1", [1], 20), ok("tfjs-layers-cpu", "W1", [10], 100)], "W1", "js")).toBeUndefined();
  });
});

describe("formatTable", () => {
  const table = formatTable(results, ["W1", "W3", "W4"], ["js", "tfjs-cpu", "tfjs-layers-cpu", "ort"]);
  const lines = table.split("\n");
  const cells = (line: string) =>
    line
      .split("|")
      .slice(1, -1)
      .map((c) => c.trim());
  const rowOf = (workload: string, label: string) =>
    lines.map(cells).find((c) => c[0]?.startsWith(workload) && c[1] === label);

  test("has a header and one row per measured or skipped result, grouped by workload in order", () => {
    expect(cells(lines[0]!)).toEqual([
      "workload",
      "system",
      "median",
      "min–max",
      "GFLOP/s",
      "vs tf.layers cpu",
      "peak RSS",
      "timed runs",
    ]);
    const rows = lines.slice(2).filter((l) => l.startsWith("| W"));
    expect(rows.map((r) => cells(r)[1])).toEqual([
      "backend-js",
      "backend-tfjs cpu",
      "tf.layers cpu",
      "backend-js",
      "onnxruntime-node session",
    ]);
  });

  test("a measured row shows median, range, GFLOP/s, ratio and the runs", () => {
    expect(rowOf("W3", "backend-js")).toEqual([
      "W3 LSTM forward (T=100)",
      "backend-js",
      "100 ms",
      "90.0–110",
      "5.85",
      "25.0×",
      "102 MiB",
      "3 (+1 warm-up)",
    ]);
    expect(rowOf("W4", "backend-js")?.slice(0, 6)).toEqual([
      "W4 LSTM streaming, B=1 (1000 frames)",
      "backend-js",
      "100 µs/frame",
      "80.0–120",
      "1.83",
      "–",
    ]);
  });

  test("a skipped row gives the reason; n/a results are listed under the table", () => {
    expect(rowOf("W3", "backend-tfjs cpu")?.slice(2)).toEqual([
      "skipped: @recurrent/backend-tfjs failed to load: nope",
      "–",
      "–",
      "–",
      "–",
      "–",
    ]);
    expect(lines.at(-1)).toBe(
      "Not applicable: onnxruntime-node session W1, W3 (inference only); tf.layers cpu W4 (other reason).",
    );
  });

  test("every line of the table has the same width (padded columns)", () => {
    const tableLines = lines.filter((l) => l.startsWith("|"));
    expect(new Set(tableLines.map((l) => [...l].length)).size).toBe(1);
  });
});

describe("formatDetails", () => {
  test("lists what each system reported running, once, for the systems asked", () => {
    const more = [...results, { ...ok("js", "W4", [1]), detail: "product kernel fma" } as WorkloadResult];
    expect(formatDetails(more, ["js", "ort"])).toBe("- backend-js: product kernel fma");
    expect(formatDetails(more, ["ort"])).toBe("");
  });
});
