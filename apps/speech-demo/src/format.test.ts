import { describe, expect, test } from "vitest";
import { duration, meanStd, pctSpread, runs, textTable } from "./format.js";

describe("format", () => {
  test("meanStd gives the sample standard deviation", () => {
    expect(meanStd([1, 2, 3])).toEqual({ mean: 2, std: 1, n: 3 });
    expect(meanStd([5])).toEqual({ mean: 5, std: 0, n: 1 });
    expect(meanStd([]).n).toBe(0);
  });

  test("duration rounds to whole seconds before splitting minutes (179.6 s is 3:00, not 2:60)", () => {
    expect(duration(179.6)).toBe("3:00 min");
    expect(duration(125.4)).toBe("2:05 min");
    expect(duration(9.5)).toBe("9.50 s");
  });

  test("pctSpread shows mean ± std over seeds", () => {
    expect(pctSpread([0.6, 0.62, 0.64])).toBe("62.0 ± 2.0 %");
    expect(pctSpread([0.5])).toBe("50.0 %");
  });

  test("runs collapses equal neighbours", () => {
    expect(runs([0, 0, 3, 3, 3, 0])).toEqual([
      { label: 0, start: 0, end: 2 },
      { label: 3, start: 2, end: 5 },
      { label: 0, start: 5, end: 6 },
    ]);
  });

  test("textTable aligns columns", () => {
    expect(
      textTable(
        ["model", "n"],
        [
          ["a", "1"],
          ["longer", "100"],
        ],
      ),
    ).toEqual(["model     n", "------  ---", "a         1", "longer  100"]);
  });
});
