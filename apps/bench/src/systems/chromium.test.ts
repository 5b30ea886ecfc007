/**
 * The Chromium harness end to end on tiny sizes, when /usr/bin/chromium (or CHROMIUM_PATH) exists (skipped
 * otherwise): the bundle builds, the page loads, and W1 and W4 come back as timings. Never asserts a duration.
 */
import { existsSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { loadChromium } from "./chromium.js";

const hasChromium = existsSync(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium");
const plan = { minWarmups: 1, maxWarmups: 1, warmupBudgetMs: 0, minReps: 2, maxReps: 2, budgetMs: 0 };

describe.skipIf(!hasChromium)("backend-js in Chromium", () => {
  test("times W1 and W4 inside the page and names the kernel it ran", { timeout: 120_000 }, async () => {
    const system = await loadChromium();
    try {
      const sizes = { T: 3, B: 2, H: 8, frames: 4 };
      for (const workload of ["W1", "W4"] as const) {
        const t = await system.measure!(workload, sizes, plan);
        expect(t.warmupsMs).toHaveLength(1);
        expect(t.repsMs).toHaveLength(2);
        expect(t.repsMs.every((ms) => Number.isFinite(ms) && ms >= 0)).toBe(true);
      }
      expect(system.detail!()).toMatch(/^Chromium \S+, product kernel (fma|simd|scalar)$/);
      expect(system.ownsMemory).toBe(false);
    } finally {
      await system.dispose();
    }
  });
});
