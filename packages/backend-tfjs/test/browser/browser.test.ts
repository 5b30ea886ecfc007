/**
 * A real browser: the conformance forward suite and one training run on tfjs's webgl and webgpu backends in
 * headless Chromium (software WebGL 2 through ANGLE + SwiftShader, and Dawn's SwiftShader WebGPU adapter, when
 * there is no GPU), driven by playwright-core.
 * Skipped, with a printed line saying how to enable it, when Chromium is missing.
 */
import { fileURLToPath } from "node:url";
import { chromiumPath, chromiumSkipReason, GPU_ARGS, launchChromium, QUIET_ARGS } from "@recurrent/browser-harness";
import { expect, test } from "vitest";
import type { BrowserReport } from "./entry.js";
import { startServer } from "./server.js";

const available = chromiumSkipReason === undefined;
if (!available) console.log(`browser test skipped: ${chromiumSkipReason}`);

/** Software WebGL 2 and the WebGPU adapter flag; see the webgpu test for the flag sets it tries. */
const ARGS: readonly string[] = [];

/** Loads the entry page with `query`, waits for its report and checks that the page threw nothing. */
async function runPage(query: string, args: readonly string[] = ARGS): Promise<BrowserReport> {
  const { url, server } = await startServer(fileURLToPath(new URL("./entry.ts", import.meta.url)));
  const browser = await launchChromium({ gpu: true, args });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${url}?${query}`);
    await page.waitForFunction(() => (window as { __report?: unknown }).__report !== undefined, undefined, {
      timeout: 240_000,
    });
    const report = await page.evaluate(() => (window as unknown as { __report: BrowserReport }).__report);
    expect(errors, "uncaught page errors").toEqual([]);
    return report;
  } finally {
    await browser.close();
    server.close();
  }
}

test.skipIf(!available)(
  "headless Chromium, webgl: every conformance forward case matches PyTorch and a training run matches cpu",
  async () => {
    // Shapes as shader uniforms: one compiled program per op instead of per (op, shapes); SwiftShader compiles slowly.
    const report = await runPage("backend=webgl&atol=1e-5&rtol=0&flag=WEBGL_USE_SHAPES_UNIFORMS");
    console.log(
      `browser: webgl flags ${JSON.stringify(report.flags)}; webgpu: ${report.webgpu}; ms ${JSON.stringify(report.timings)}`,
    );
    expect(report.fatal).toBeUndefined();
    expect(report.initError).toBeUndefined();
    // Same tolerance as cpu and wasm (atol 1e-5, no relative term): WebGL 2 renders to float32 textures here.
    const failed = report.cases.filter((c) => c.error !== undefined).map((c) => `${c.name}: ${c.error}`);
    expect(failed).toEqual([]);
    expect(report.cases.length).toBeGreaterThanOrEqual(80);
    const { losses, cpuLosses } = report.training!;
    expect(losses.at(-1)!).toBeLessThan(0.7 * losses[0]!);
    losses.forEach((loss, i) => {
      expect(Math.abs(loss - cpuLosses[i]!), `step ${i + 1}: webgl ${loss}, cpu ${cpuLosses[i]}`).toBeLessThan(
        1e-4 * cpuLosses[i]!,
      );
    });
  },
  300_000,
);

/**
 * WebGPU in headless Chromium: Dawn's software adapter (SwiftShader's Vulkan) is offered only with
 * `--enable-unsafe-webgpu` (already in GPU_ARGS). Tried in this order until the page reports an adapter; the
 * second set names the SwiftShader Vulkan adapter explicitly, for Chromium builds that do not fall back to it.
 */
const WEBGPU_FLAG_SETS: readonly (readonly string[])[] = [
  [],
  [
    "--enable-features=Vulkan",
    "--use-vulkan=swiftshader",
    "--use-webgpu-adapter=swiftshader",
    "--disable-vulkan-surface",
  ],
];

test.skipIf(!available)(
  "headless Chromium, webgpu: every conformance forward case matches PyTorch and a training run matches cpu",
  async (ctx) => {
    let report: BrowserReport | undefined;
    const tried: string[] = [];
    for (const extra of WEBGPU_FLAG_SETS) {
      const args = [...ARGS, ...extra];
      report = await runPage("backend=webgpu&atol=1e-5&rtol=0", args);
      tried.push(`[${[...QUIET_ARGS, ...GPU_ARGS, ...args].join(" ")}] → ${report.webgpu}`);
      if (report.webgpu.startsWith("adapter available")) break;
    }
    if (!report!.webgpu.startsWith("adapter available")) {
      console.log(`webgpu conformance skipped: no WebGPU adapter in ${chromiumPath}. Tried:\n  ${tried.join("\n  ")}`);
      ctx.skip();
    }
    const r = report!;
    console.log(`browser: webgpu ${r.webgpu}; flags ${tried.at(-1)}; ms ${JSON.stringify(r.timings)}`);
    expect(r.fatal).toBeUndefined();
    expect(r.initError).toBeUndefined();
    // WebGPU computes in float32 like cpu: the same tolerance (atol 1e-5, no relative term).
    const failed = r.cases.filter((c) => c.error !== undefined).map((c) => `${c.name}: ${c.error}`);
    expect(failed).toEqual([]);
    expect(r.cases.length).toBeGreaterThanOrEqual(80);
    const { losses, cpuLosses } = r.training!;
    expect(losses.at(-1)!).toBeLessThan(0.7 * losses[0]!);
    losses.forEach((loss, i) => {
      expect(Math.abs(loss - cpuLosses[i]!), `step ${i + 1}: webgpu ${loss}, cpu ${cpuLosses[i]}`).toBeLessThan(
        1e-4 * cpuLosses[i]!,
      );
    });
  },
  300_000,
);
