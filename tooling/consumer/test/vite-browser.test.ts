/**
 * A Vite production build of a page that imports core, backend-js and speech from their npm-installed tarballs,
 * with no externals and no polyfills, loaded in headless Chromium from a local static server. The page computes
 * MFCC-39 of a synthetic tone and an LSTM forward pass over it; the same code run by Node from the same installed
 * packages gives the reference. The browser part is skipped, with a printed reason, when Chromium is missing.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { chromiumSkipReason, launchChromium } from "@recurrent/browser-harness";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { runCommand } from "./exec.js";
import { moduleReferences } from "./module-specifiers.js";
import { type ConsumerProject, createProject } from "./project.js";
import { serveStatic } from "./static-server.js";

const hasChromium = chromiumSkipReason === undefined;
if (!hasChromium) console.log(`vite page: browser part skipped: ${chromiumSkipReason}`);

const viteBin = join(dirname(createRequire(import.meta.url).resolve("vite/package.json")), "bin/vite.js");

interface Computed {
  readonly mfcc: { shape: number[]; data: number[] };
  readonly out: { shape: number[]; data: number[] };
}

let project: ConsumerProject;
let reference: Computed;
let buildLog: string;
let distFiles: string[];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

beforeAll(async () => {
  project = await createProject({
    fixture: "vite",
    packed: inject("packed"),
    install: ["@recurrent/core", "@recurrent/backend-js", "@recurrent/speech"],
  });
  const node = await runCommand("node", ["node-run.mjs"], { cwd: project.dir });
  reference = JSON.parse(node.stdout) as Computed;
  const build = await runCommand("node", [viteBin, "build", "--emptyOutDir"], { cwd: project.dir });
  buildLog = `${build.stdout}\n${build.stderr}`;
  distFiles = filesUnder(join(project.dir, "dist"));
});

afterAll(() => project?.dispose());

test("the production build needs no Node built-in and has no externals", () => {
  const js = distFiles.filter((f) => f.endsWith(".js"));
  expect(js.length, `no JS in dist: ${distFiles.join(", ")}`).toBeGreaterThan(0);
  const sizes = js.map((f) => {
    const bytes = readFileSync(f);
    return `${relative(project.dir, f)} ${(bytes.length / 1024).toFixed(1)} KiB, ${(gzipSync(bytes).length / 1024).toFixed(1)} KiB gzip`;
  });
  console.log(`vite page bundle: ${sizes.join("; ")}`);
  // Vite replaces a Node built-in imported by browser code with an empty shim and only warns ("externalized for
  // browser compatibility"); the build log must not say so.
  expect(buildLog).not.toMatch(/externalized for browser compatibility/);
  for (const file of distFiles) {
    const name = relative(project.dir, file);
    if (file.endsWith(".js")) {
      const { specifiers, nodeStrings } = moduleReferences(readFileSync(file, "utf8"), file);
      expect(nodeStrings, `${name}: strings naming Node built-ins`).toEqual([]);
      // No externals: whatever the output still imports is one of the bundle's own chunks.
      expect(
        specifiers.filter((s) => !s.startsWith("./") && !s.startsWith("/")),
        `${name}: imports left outside the bundle`,
      ).toEqual([]);
    } else if (file.endsWith(".html")) {
      expect(readFileSync(file, "utf8"), name).not.toContain("node:");
    }
  }
});

test.skipIf(!hasChromium)("headless Chromium computes the same MFCC and forward pass as Node (1e-5)", async () => {
  const server = await serveStatic(join(project.dir, "dist"));
  const browser = await launchChromium(); // this page computes on the CPU
  let text: string;
  const errors: string[] = [];
  try {
    const page = await browser.newPage();
    page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(`console error: ${m.text()}`);
    });
    page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    await page.goto(server.url);
    await page.waitForSelector("#result[data-done]", { timeout: 60_000 });
    text = (await page.textContent("#result")) ?? "";
  } finally {
    await browser.close();
    await server.close();
  }
  expect(errors).toEqual([]);
  const page = JSON.parse(text) as Computed & { error?: string };
  expect(page.error).toBeUndefined();

  // 0.25 s at 16 kHz: T = 1 + ⌊(4000 − 400) / 160⌋ = 23 frames of 39 (the recipe's closed form).
  expect(reference.mfcc.shape).toEqual([23, 39]);
  expect(page.mfcc.shape).toEqual(reference.mfcc.shape);
  // MFCCs are log energies in the tens: compare relative to max(1, |value|).
  const mfccDiff = page.mfcc.data.reduce(
    (m, v, i) => Math.max(m, Math.abs(v - reference.mfcc.data[i]!) / Math.max(1, Math.abs(reference.mfcc.data[i]!))),
    0,
  );
  expect(reference.out.shape).toEqual([23, 1, 4]);
  expect(page.out.shape).toEqual(reference.out.shape);
  const outDiff = page.out.data.reduce((m, v, i) => Math.max(m, Math.abs(v - reference.out.data[i]!)), 0);
  console.log(
    `vite page vs Node: MFCC max relative diff ${mfccDiff.toExponential(2)}, output max diff ${outDiff.toExponential(2)}`,
  );
  expect(mfccDiff).toBeLessThan(1e-5);
  expect(outDiff).toBeLessThan(1e-5);
});
