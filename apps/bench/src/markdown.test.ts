import { describe, expect, test } from "vitest";
import { markdownTable } from "./markdown.js";

describe("markdownTable", () => {
  test("matches what biome format writes for the same table (µ, ×, – and ≥ are one column wide)", () => {
    // Expected text: the output of `biome format --stdin-file-path=x.md` (biome 2.6) on this table.
    const expected = [
      "| workload |     median | vs tf |",
      "| -------- | ---------: | ----: |",
      "| W1 LSTM  |   1,234 ms |     – |",
      "| W4       | 1 µs/frame | 12.3× |",
      "| x        |        2–3 |     ≥ |",
    ].join("\n");
    const rows = [
      ["W1 LSTM", "1,234 ms", "–"],
      ["W4", "1 µs/frame", "12.3×"],
      ["x", "2–3", "≥"],
    ];
    expect(markdownTable(["workload", "median", "vs tf"], ["left", "right", "right"], rows)).toBe(expected);
  });

  test("columns are at least three wide", () => {
    expect(markdownTable(["a", "b"], ["left", "right"], [["x", "y"]])).toBe(
      ["| a   |   b |", "| --- | --: |", "| x   |   y |"].join("\n"),
    );
  });

  test("a row of the wrong length or a wrong number of alignments is refused", () => {
    expect(() => markdownTable(["a", "b"], ["left", "left"], [["x"]])).toThrow(/row 0 has 1 cells, expected 2/);
    expect(() => markdownTable(["a", "b"], ["left"], [])).toThrow(/1 alignments for 2 columns/);
  });
});
