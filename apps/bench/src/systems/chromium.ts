/**
 * backend-js in headless Chromium (issue #14 item 5): the page code (browser/page-entry.ts) bundled by esbuild
 * for the browser, added to a blank page of `/usr/bin/chromium` (or `CHROMIUM_PATH`) driven by playwright-core,
 * and timed inside the page with measure.ts's protocol. Skipped with the reason when Chromium is missing.
 */
import { fileURLToPath } from "node:url";
import { chromiumSkipReason, launchChromium } from "@recurrent/browser-harness";
import type { PageResult } from "../browser/page-entry.js";
import type { RepetitionPlan } from "../measure.js";
import type { Sizes, WorkloadId } from "../workloads.js";
import { SkipError, type System } from "./system.js";

const ENTRY = fileURLToPath(new URL("../browser/page-entry.ts", import.meta.url));

/** The page bundle: ESM for the browser, resolving the workspace packages to their sources. */
async function bundle(): Promise<string> {
  const esbuild = await import("esbuild");
  const out = await esbuild.build({
    entryPoints: [ENTRY],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "chrome120",
    conditions: ["@recurrent/source", "browser"],
    write: false,
    logLevel: "silent",
  });
  return out.outputFiles[0]!.text;
}

/**
 * Launches Chromium with the bundled page.
 * @throws SkipError when the Chromium binary is missing or cannot start.
 */
export async function loadChromium(): Promise<System> {
  if (chromiumSkipReason !== undefined) throw new SkipError(chromiumSkipReason);
  const code = await bundle();
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  try {
    browser = await launchChromium(); // the page computes on the CPU
  } catch (err) {
    throw new SkipError(`Chromium did not start: ${err instanceof Error ? err.message.split("\n")[0] : err}`);
  }
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.addScriptTag({ content: code, type: "module" });
  await page
    .waitForFunction(() => "benchWorkload" in globalThis, undefined, { timeout: 60_000 })
    .catch(() => {
      throw new Error(`the bench page did not load${errors.length > 0 ? `: ${errors[0]}` : ""}`);
    });
  const version = browser.version();
  let kernel = "unknown";
  return {
    async prepare() {
      throw new Error("internal: the Chromium system is measured through measure(), inside the page");
    },
    async measure(workload: WorkloadId, sizes: Sizes, plan: RepetitionPlan) {
      const r = await page.evaluate(
        ([id, s, p]) =>
          (
            globalThis as unknown as {
              benchWorkload: (i: typeof id, s2: typeof s, p2: typeof p) => Promise<PageResult>;
            }
          ).benchWorkload(id, s, p),
        [workload, sizes, plan] as const,
      );
      kernel = r.kernel;
      return { warmupsMs: r.warmupsMs, repsMs: r.repsMs };
    },
    detail: () => `Chromium ${version}, product kernel ${kernel}`,
    ownsMemory: false,
    async dispose() {
      await browser.close();
    },
  };
}
