/**
 * Data-parallel training on Web Workers in headless Chromium: the page (page.ts), bundled by Vite from the
 * package's sources as an app would bundle it, trains the same LSTM for 3 steps at B = 64 on 1, 2 and 4
 * threads. Served cross-origin isolated (COOP/COEP headers), the runs give bit-identical weights and 2 and 4
 * threads really start 1 and 3 workers; served without the headers, the page has no SharedArrayBuffer and
 * asking for 2 threads trains on 1, with the same bits.
 * Skipped, with a printed line saying how to enable it, when Chromium is missing.
 */
import { fileURLToPath } from "node:url";
import { chromiumSkipReason, launchChromium } from "@recurrent/browser-harness";
import { build, defaultClientConditions, type PreviewServer, preview } from "vite";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { PageReport } from "./page.js";

const available = chromiumSkipReason === undefined;
if (!available) console.log(`browser threads test skipped: ${chromiumSkipReason}`);

const ROOT = fileURLToPath(new URL(".", import.meta.url));
const OUT = fileURLToPath(new URL("../../.test-results/browser-threads", import.meta.url));

/** The headers that make a page cross-origin isolated, so it gets SharedArrayBuffer. */
const ISOLATION = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

async function serve(headers: Record<string, string>): Promise<PreviewServer> {
  return preview({
    root: ROOT,
    configFile: false,
    logLevel: "warn",
    build: { outDir: OUT },
    preview: { host: "127.0.0.1", port: 0, strictPort: false, open: false, headers },
  });
}

/** Loads `path` from `server`, waits for the page's report and checks that it threw nothing. */
async function report(server: PreviewServer, path: string): Promise<PageReport> {
  const url = new URL(path, server.resolvedUrls!.local[0]!).href;
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await page.goto(url);
    await page.waitForFunction(() => (window as { __report?: unknown }).__report !== undefined, undefined, {
      timeout: 60_000,
    });
    const r = await page.evaluate(() => (window as unknown as { __report: PageReport }).__report);
    expect(r.fatal).toBeUndefined();
    expect(errors, "page errors").toEqual([]);
    return r;
  } finally {
    await browser.close();
  }
}

describe.skipIf(!available)("Web Worker threads in headless Chromium (threads/web-worker-pool.ts)", () => {
  let isolated: PreviewServer;
  let plain: PreviewServer;

  beforeAll(async () => {
    // As an app bundles the package: Vite follows `new Worker(new URL(...), { type: "module" })` into a chunk.
    await build({
      root: ROOT,
      configFile: false,
      logLevel: "warn",
      resolve: { conditions: ["@recurrent/source", ...defaultClientConditions] },
      worker: { format: "es" },
      build: { outDir: OUT, emptyOutDir: true, target: "es2022", reportCompressedSize: false },
    });
    [isolated, plain] = await Promise.all([serve(ISOLATION), serve({})]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([isolated?.close(), plain?.close()]);
  });

  test("cross-origin isolated: 1, 2 and 4 threads give the same bits, on 0, 1 and 3 Web Workers", async () => {
    const r = await report(isolated, "./?threads=1,2,4");
    expect(r.crossOriginIsolated).toBe(true);
    expect(r.sharedArrayBuffer).toBe(true);
    expect(r.defaultThreads).toBe(Math.min(r.hardwareConcurrency, 4));
    const [one, two, four] = r.runs;
    // B = 64 makes 4 shards: 2 threads put 2 of them in one worker, 4 threads 1 in each of three workers.
    expect([one!.started, two!.started, four!.started]).toEqual([0, 1, 3]);
    expect(one!.replies).toBe(0);
    // At least one reply per worker and step (MSE takes one message per step).
    expect(two!.replies).toBeGreaterThanOrEqual(3);
    expect(four!.replies).toBeGreaterThanOrEqual(9);
    // PyTorch's LSTM layout (4H rows, two biases) and the dense layer: D = 6, H = 24, O = 3.
    expect(one!.bits).toHaveLength(4 * 24 * (6 + 24 + 2) + 3 * (24 + 1));
    expect(one!.losses[2]).toBeLessThan(one!.losses[0]!);
    expect(two!.bits).toEqual(one!.bits);
    expect(four!.bits).toEqual(one!.bits);
    expect(two!.losses).toEqual(one!.losses);
    expect(four!.losses).toEqual(one!.losses);
    console.log(
      `browser threads: workers started ${r.runs.map((x) => x.started)}, replies ${r.runs.map((x) => x.replies)}`,
    );
  }, 90_000);

  test("not isolated: no SharedArrayBuffer, so 2 threads fall back to 1, with the same bits", async () => {
    const [ref, r] = [await report(isolated, "./?threads=1"), await report(plain, "./?threads=2")];
    expect(r.crossOriginIsolated).toBe(false);
    expect(r.sharedArrayBuffer).toBe(false);
    expect(r.defaultThreads).toBe(1);
    expect(r.runs[0]!.started).toBe(0);
    expect(r.runs[0]!.bits).toEqual(ref.runs[0]!.bits);
    expect(r.runs[0]!.losses).toEqual(ref.runs[0]!.losses);
  }, 90_000);

  // Timings, not assertions: `RECURRENT_BROWSER_BENCH=1 npx vitest run test/browser/threads.test.ts`.
  test.runIf(process.env.RECURRENT_BROWSER_BENCH === "1")(
    "W1's shape: step time on 1 and 2 threads",
    async () => {
      const r = await report(isolated, "./?threads=1&bench=1");
      console.log(
        `browser threads: W1 median step ms ${JSON.stringify(r.w1)} (hardwareConcurrency ${r.hardwareConcurrency})`,
      );
    },
    300_000,
  );
});
