import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { appendSection, formatDate, formatSection, RESULTS_HEADER, type RunRecord } from "./results-file.js";

const record: RunRecord = {
  date: new Date(Date.UTC(2025, 0, 31, 14, 5, 59)),
  command: "pnpm bench --only W3",
  quick: false,
  machine: {
    cpu: "AMD EPYC 7B13",
    simd: "avx2+fma",
    cores: 2,
    memoryGiB: 8,
    node: "v20.20.2",
    platform: "linux x64",
    load: [1, 0.5, 0.25],
  },
  loadAfter: [2, 1, 0.5],
  versions: { "onnxruntime-node": "1.30.0" },
  durationS: 61.4,
  table: "| table |",
  verdicts: "- verdicts",
};

let dir: string | undefined;
afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe("results.md", () => {
  test("dates are UTC to the minute", () => {
    expect(formatDate(record.date)).toBe("2025-01-31 14:05 UTC");
  });

  test("a section holds the date, machine, load, versions, command, table and verdicts", () => {
    const s = formatSection(record);
    expect(s.split("\n")[0]).toBe("## 2025-01-31 14:05 UTC — full run");
    expect(s).toContain("- Machine: AMD EPYC 7B13 (avx2+fma), 2 cores, 8 GiB, linux x64, Node v20.20.2");
    expect(s).toContain("1.00 / 0.50 / 0.25 at start, 2.00 / 1.00 / 0.50 at end");
    expect(s).toContain("onnxruntime-node 1.30.0");
    expect(s).toContain("`pnpm bench --only W3` (61 s)");
    expect(s.indexOf("| table |")).toBeLessThan(s.indexOf("- verdicts"));
    expect(formatSection({ ...record, quick: true })).toMatch(/quick run .*NOT the reference sizes/);
  });

  test("the note, peak, what ran, the issue #14 targets and the scaling table follow, in that order", () => {
    const s = formatSection({
      ...record,
      note: "shared machine",
      peak: "50 GFLOP/s",
      details: "- backend-js: product kernel fma",
      parity: "| parity |",
      scaling: "| scaling |",
    });
    expect(s).toContain("- Note: shared machine\n- Peak: 50 GFLOP/s\n");
    const order = ["| table |", "- backend-js: product kernel fma", "- verdicts", "| parity |", "| scaling |"];
    const at = order.map((x) => s.indexOf(x));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(formatSection(record)).not.toContain("Scaling");
  });

  test("the first append writes the header; later ones keep what is there", async () => {
    dir = await mkdtemp(join(tmpdir(), "bench-results-"));
    const path = join(dir, "results.md");
    await appendSection(path, "## one\n");
    await appendSection(path, "## two\n");
    const text = await readFile(path, "utf8");
    expect(text.startsWith(RESULTS_HEADER)).toBe(true);
    expect(text.indexOf("## one")).toBeGreaterThan(0);
    expect(text.indexOf("## two")).toBeGreaterThan(text.indexOf("## one"));
  });
});
