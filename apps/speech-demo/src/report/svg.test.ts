import { describe, expect, test } from "vitest";
import { esc, ramp, ticks } from "./svg.js";
import { barChart, heatmap, lineChart } from "./svg-charts.js";

describe("svg helpers", () => {
  test("ticks are round numbers covering the range", () => {
    expect(ticks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks(0.37, 0.71, 4)).toEqual([0.4, 0.5, 0.6, 0.7]);
    expect(ticks(3, 3)).toEqual([3]);
  });

  test("esc escapes the XML specials", () => {
    expect(esc(`a<b>&"c"`)).toBe("a&lt;b&gt;&amp;&quot;c&quot;");
  });

  test("ramp runs from dark blue to yellow and clamps", () => {
    expect(ramp(0)).toBe("rgb(13,8,135)");
    expect(ramp(1)).toBe("rgb(240,249,33)");
    expect(ramp(-3)).toBe(ramp(0));
    expect(ramp(7)).toBe(ramp(1));
  });
});

describe("charts", () => {
  test("a line chart draws one polyline per series with two or more finite points", () => {
    const svg = lineChart({
      name: "x",
      title: "t",
      xLabel: "x",
      yLabel: "y",
      series: [
        {
          label: "a",
          points: [
            [0, 1],
            [1, 2],
            [2, Number.NaN],
          ],
        },
        { label: "b", points: [[0, 3]] },
      ],
    });
    expect(svg.match(/<polyline/g)).toHaveLength(1);
    expect(svg.match(/<circle/g)).toHaveLength(1); // b's single point gets a marker
    expect(svg).not.toContain("NaN");
  });

  test("a chart without data says so instead of failing", () => {
    expect(lineChart({ name: "x", title: "t", xLabel: "x", yLabel: "y", series: [] })).toContain("no data");
  });

  test("bar heights are proportional to the values", () => {
    const svg = barChart({
      name: "b",
      title: "t",
      yLabel: "y",
      yRange: [0, 1],
      bars: [
        { label: "half", value: 0.5 },
        { label: "quarter", value: 0.25 },
      ],
    });
    const heights = [...svg.matchAll(/class="bar" x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)"/g)].map((m) =>
      Number(m[1]),
    );
    expect(heights).toHaveLength(2);
    expect(heights[0]! / heights[1]!).toBeCloseTo(2, 2);
  });
});

describe("heatmap skipBelow", () => {
  test("cells below the threshold are left to one background rectangle", () => {
    // 2×3 values, two of them ≥ 0.5: 6 cell rectangles without the option, 1 background + 2 with it.
    const values = [0, 0.9, 0.1, 0.2, 0, 0.5];
    const base = { name: "h", title: "t", values, rows: 2, cols: 3, range: [0, 1] as const };
    const rects = (svg: string) => (svg.match(/<rect /g) ?? []).length;
    const all = rects(heatmap(base));
    const some = rects(heatmap({ ...base, skipBelow: 0.5 }));
    expect(all - some).toBe(6 - 3);
    expect(heatmap({ ...base, skipBelow: 0.5 })).toContain(`fill="${ramp(0)}"`);
  });
});
