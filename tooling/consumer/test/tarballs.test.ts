/**
 * What `pnpm pack` put in each tarball: every file that `exports`, `main`, `types` and `bin` name, a licence, and a
 * package.json with no workspace-only ranges (`workspace:`, `catalog:`) that npm could not resolve.
 */
import { dirname } from "node:path";
import { expect, inject, test } from "vitest";
import { runCommand } from "./exec.js";
import { PUBLISHED } from "./pack.js";

const packed = inject("packed");

/** Every file path an `exports` value points at, skipping conditions only this repository's tooling uses. */
function exportTargets(value: unknown, condition = ""): string[] {
  if (condition.startsWith("@recurrent/")) return []; // the workspace's source condition (tests read src/ through it)
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap((v) => exportTargets(v, condition));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, v]) => exportTargets(v, key));
  }
  return [];
}

test("every publishable package was packed", () => {
  expect(packed.map((p) => p.name).sort()).toEqual(PUBLISHED.map((dir) => `@recurrent/${dir}`).sort());
});

test.each(PUBLISHED)("@recurrent/%s: the tarball holds what its package.json promises", async (dir) => {
  const pkg = packed.find((p) => p.name === `@recurrent/${dir}`)!;
  const { stdout } = await runCommand("tar", ["-xOzf", pkg.tarball, "package/package.json"], {
    cwd: dirname(pkg.tarball),
  });
  expect(stdout, "workspace-only version ranges left in the packed package.json").not.toMatch(/"(workspace|catalog):/);
  const manifest = JSON.parse(stdout) as Record<string, unknown>;
  const bin = manifest.bin;
  const targets = [
    ...exportTargets(manifest.exports),
    ...[manifest.main, manifest.module, manifest.types].filter((v): v is string => typeof v === "string"),
    ...(typeof bin === "string" ? [bin] : Object.values((bin ?? {}) as Record<string, string>)),
  ].map((t) => t.replace(/^\.\//, ""));
  expect(targets.length, "package.json names no entry point").toBeGreaterThan(0);
  const files = new Set(pkg.files);
  const present = (target: string) =>
    target.includes("*")
      ? pkg.files.some((f) => new RegExp(`^${target.replace(/\*/g, ".*")}$`).test(f))
      : files.has(target);
  expect(
    targets.filter((t) => !present(t)),
    `missing from ${pkg.tarball}`,
  ).toEqual([]);
  expect(
    pkg.files.some((f) => /^LICEN[CS]E/i.test(f)),
    "no LICENSE file in the tarball",
  ).toBe(true);
});
