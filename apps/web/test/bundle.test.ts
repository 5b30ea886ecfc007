/**
 * Bundle discipline of the built app: Vite stubbed out no Node built-in (it only warns "externalized for browser
 * compatibility" when browser code imports one), no chunk imports a `node:` module, and the gzip sizes are printed
 * (scripts/bundle-size.mjs, as `pnpm build` prints them).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, inject, test } from "vitest";

const script = fileURLToPath(new URL("../scripts/bundle-size.mjs", import.meta.url));

test("the production build needs no Node built-in and prints its gzip sizes", () => {
  const dist = inject("builtDir");
  expect(inject("buildWarnings").filter((w) => /externalized for browser compatibility/.test(w))).toEqual([]);
  const js = readdirSync(join(dist, "assets")).filter((f) => f.endsWith(".js"));
  expect(js.length).toBeGreaterThan(0);
  for (const f of js) {
    // A `node:` module left as an import in the output (what an externalized built-in looks like, minified).
    const code = readFileSync(join(dist, "assets", f), "utf8");
    expect(
      code.match(/(?:\bfrom|\bimport\s*\(|\bimport)\s*["'`]node:[^"'`]*/g) ?? [],
      `${f} imports a node: module`,
    ).toEqual([]);
  }
  const sizes = execFileSync(process.execPath, [script, dist], { encoding: "utf8" });
  console.log(sizes.trimEnd());
  expect(sizes).toMatch(/page with backend-js only \(no tfjs\): [\d.]+ KiB gzip/);
});
