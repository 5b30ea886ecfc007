// Sums the vitest JSON reports of every workspace package into one closing line: "Tests: N passed, N failed, N skipped".
// Exits non-zero when a package that has tests produced no report (a silent runner is a failure, not a pass).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..");
const workspaces = ["packages", "apps", "tooling", "examples"].flatMap((dir) =>
  existsSync(join(root, dir)) ? readdirSync(join(root, dir)).map((name) => join(root, dir, name)) : [],
);

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const pkg of workspaces) {
  const manifest = join(pkg, "package.json");
  if (!existsSync(manifest)) continue;
  const { scripts = {} } = JSON.parse(readFileSync(manifest, "utf8"));
  if (!scripts.test) continue;
  const report = join(pkg, ".test-results", "vitest.json");
  if (!existsSync(report)) {
    missing.push(pkg);
    continue;
  }
  const r = JSON.parse(readFileSync(report, "utf8"));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
}
if (missing.length > 0) console.error(`no test report from: ${missing.join(", ")}`);
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || missing.length > 0 || passed === 0 ? 1 : 0);
