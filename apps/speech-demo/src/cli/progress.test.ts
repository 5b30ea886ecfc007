import { describe, expect, test } from "vitest";
import { clock, plainProgress, progressLine, rateAndEta } from "./progress.js";

describe("progress", () => {
  test("clock and ETA: 30 of 120 steps in 15 s is 2 steps/s, 45 s left", () => {
    expect(rateAndEta(30, 120, 15)).toEqual({ rate: 2, eta: 45 });
    expect(clock(45)).toBe("0:45");
    expect(clock(3725)).toBe("1:02:05");
    expect(clock(Number.NaN)).toBe("?");
    // a resumed run that started at step 100: 20 more steps in 10 s
    expect(rateAndEta(120, 200, 10, 100)).toEqual({ rate: 2, eta: 40 });
    expect(progressLine("train", 30, 120, 15, "loss 1.2")).toBe(
      "train 30/120 (25%) 2.0/s ETA 0:45 elapsed 0:15 loss 1.2",
    );
  });

  test("plain mode writes at most one line per interval, and the last position on stop", () => {
    let now = 0;
    const lines: string[] = [];
    const p = plainProgress((l) => lines.push(l), "t", 10, { interval: 5, now: () => now });
    for (let step = 1; step <= 10; step++) {
      now = step * 2; // 2 s per step
      p.update(step);
    }
    p.stop();
    // lines at 6 s (step 3), 12 s (step 6), 18 s (step 9), then stop at step 10
    expect(lines.map((l) => l.split(" ")[1])).toEqual(["3/10", "6/10", "9/10", "10/10"]);
    expect(lines[0]).toBe("t 3/10 (30%) 0.5/s ETA 0:14 elapsed 0:06");
  });
});
