// @ts-check
/**
 * Shared vitest preset. Tests resolve sibling workspace packages to their `src/` through the
 * `@recurrent/source` export condition, so `test` never waits for `build` (see turbo.json).
 */
import { defineConfig } from "vitest/config";

const conditions = ["@recurrent/source"];

export const libraryConfig = defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Type tests (`*.test-d.ts`) are checked by each package's `tsc --noEmit` (the turbo `typecheck` task), which
    // fails on a broken `expectTypeOf` or an unused `@ts-expect-error`; running them again here would double the cost.
    restoreMocks: true,
    // The JSON report feeds tooling/scripts/test-summary.mjs, which prints the repo-wide closing line.
    reporters: ["default", "json"],
    outputFile: { json: ".test-results/vitest.json" },
    testTimeout: 30_000,
  },
});

export default libraryConfig;
