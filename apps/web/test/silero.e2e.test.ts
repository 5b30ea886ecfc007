/**
 * The built app in headless Chromium, Silero part: the official model file chosen in the file input, fine-tuned in
 * the worker on backend-js; the held-out ROC-AUC must rise and an ONNX file come back. Skipped, with the reason
 * printed, without Chromium or without the official file in ../shared/models/silero-vad/.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { skipReason as chromiumSkip, launch, serveApp } from "./browser.js";

const MODEL = fileURLToPath(new URL("../../../../shared/models/silero-vad/silero_vad_16k_op15.onnx", import.meta.url));
const skipReason = chromiumSkip ?? (existsSync(MODEL) ? undefined : `${MODEL} is absent`);
if (skipReason) console.log(`apps/web Silero e2e skipped: ${skipReason}`);

interface SileroRecord {
  running: boolean;
  done: boolean;
  error?: string;
  aucBefore?: number;
  aucAfter?: number;
  epochs: { epoch: number }[];
  onnxBytes?: number;
}
type Win = { __recurrent: { ready: boolean; silero: SileroRecord } };

let app: { url: string; close(): Promise<void> };
let browser: Browser;

beforeAll(async () => {
  if (skipReason) return;
  app = await serveApp(inject("builtDir"));
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe.skipIf(skipReason !== undefined)("apps/web in headless Chromium: Silero VAD fine-tuning", () => {
  test("the worker fine-tunes the chosen model file, raises the held-out AUC and returns an ONNX file", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
    await page.goto(`${app.url}?backend=js`);
    await page.waitForFunction(() => (window as unknown as Win).__recurrent?.ready, undefined, { timeout: 60_000 });
    await page.click("#silero-start"); // no file chosen yet: a clear message, nothing starts
    expect(await page.textContent("#silero-status")).toMatch(/Choose the Silero VAD model file first/);
    await page.setInputFiles("#silero-model", MODEL);
    await page.fill("#silero-epochs", "4");
    await page.click("#silero-start");
    await page.waitForFunction(
      () => {
        const s = (window as unknown as Win).__recurrent.silero;
        return s.done || s.error !== undefined;
      },
      undefined,
      { timeout: 110_000 },
    );
    const record = await page.evaluate(() => structuredClone((window as unknown as Win).__recurrent.silero));
    console.log(
      `[apps/web silero] held-out ROC-AUC ${record.aucBefore?.toFixed(3)} -> ${record.aucAfter?.toFixed(3)}, ` +
        `${record.epochs.length} epochs, ${record.onnxBytes} bytes of ONNX`,
    );
    expect(record.error).toBeUndefined();
    expect(record.epochs).toHaveLength(4);
    expect(record.aucAfter!).toBeGreaterThan(record.aucBefore! + 0.03);
    expect(record.onnxBytes).toBeGreaterThan(1_000_000);
    expect(await page.getAttribute("#silero-download", "href")).toMatch(/^blob:/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
