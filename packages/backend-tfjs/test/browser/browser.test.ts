/**
 * A real browser: the conformance forward suite and one training run on tfjs's webgl backend in headless
 * Chromium (software WebGL 2 through ANGLE + SwiftShader when there is no GPU), driven by playwright-core.
 * Skipped, with a printed line saying how to enable it, when Chromium is missing.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { expect, test } from "vitest";
import type { BrowserReport } from "./entry.js";
import { startServer } from "./server.js";

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const available = existsSync(executablePath);
if (!available) {
  console.log(
    `browser test skipped: ${executablePath} is missing; enable it with \`apt-get install -y chromium\` ` +
      "(or set CHROMIUM_PATH to a Chromium binary)",
  );
}

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--use-angle=swiftshader",
  "--enable-unsafe-swiftshader",
  // Only to report whether a WebGPU adapter exists; tfjs's webgpu backend package is not installed here.
  "--enable-unsafe-webgpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

test.skipIf(!available)(
  "headless Chromium, webgl: every conformance forward case matches PyTorch and a training run matches cpu",
  async () => {
    const { url, server } = await startServer(fileURLToPath(new URL("./entry.ts", import.meta.url)));
    const browser = await chromium.launch({ executablePath, args: ARGS });
    let report: BrowserReport;
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      // Shapes as shader uniforms: one compiled program per op instead of per (op, shapes); SwiftShader compiles slowly.
      await page.goto(`${url}?backend=webgl&atol=1e-5&rtol=0&flag=WEBGL_USE_SHAPES_UNIFORMS`);
      await page.waitForFunction(() => (window as { __report?: unknown }).__report !== undefined, undefined, {
        timeout: 240_000,
      });
      report = await page.evaluate(() => (window as unknown as { __report: BrowserReport }).__report);
      expect(errors, "uncaught page errors").toEqual([]);
    } finally {
      await browser.close();
      server.close();
    }
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
