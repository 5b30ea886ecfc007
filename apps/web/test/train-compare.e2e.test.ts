/**
 * The built app in headless Chromium, Train and Compare parts: the worker lowers the loss and keeps the page
 * responsive, Stop ends a long run, the trained model streams in Live; the page measures every backend; a WAV
 * file on tfjs webgpu decides the same phones as Node. Skipped, with the reason printed, when Chromium is missing.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { readWav } from "@recurrent/speech";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { launch, serveApp, skipReason } from "./browser.js";
import { nodeDecisions } from "./reference.js";

if (skipReason) console.log(`apps/web e2e skipped: ${skipReason}`);

const CORPUS_WAV = fileURLToPath(
  new URL("../../../packages/speech/data/audio/confbridge-unmuted.wav", import.meta.url),
);

interface TrainRecord {
  running: boolean;
  done?: "completed" | "stopped";
  error?: string;
  losses: number[];
  accuracies: [number, number][];
}
interface CompareRecord {
  done: boolean;
  rows: { backend: string; framesPerSecond?: number; msPerStep?: number; error?: string }[];
}
type Win = {
  __recurrent: {
    ready: boolean;
    backends: Record<string, true | string>;
    train: TrainRecord;
    compare: CompareRecord;
    live: { done: boolean; phones: number[] };
  };
};

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

async function open(backend: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console error: ${m.text()}`);
  });
  await page.goto(`${app.url}?backend=${backend}`);
  await page.waitForFunction(() => (window as unknown as Win).__recurrent?.ready, undefined, { timeout: 60_000 });
  return { page, errors };
}

const train = (page: Page) => page.evaluate(() => structuredClone((window as unknown as Win).__recurrent.train));
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

describe.skipIf(skipReason !== undefined)("apps/web in headless Chromium: Train and Compare", () => {
  test("the worker lowers the loss within 40 steps without blocking the page; Stop ends a run; Live uses the model", async () => {
    const { page, errors } = await open("js");
    // The page's thread stays free: a 20 ms timer keeps firing while the worker trains (training on the page's
    // thread would hold it for the whole run, seconds, since fit() only awaits promises).
    await page.evaluate(() => {
      const w = window as unknown as { __lateness: number };
      w.__lateness = 0;
      let due = performance.now() + 20;
      const tick = () => {
        w.__lateness = Math.max(w.__lateness, performance.now() - due);
        due = performance.now() + 20;
        setTimeout(tick, 20);
      };
      setTimeout(tick, 20);
    });
    await page.fill("#train-steps", "40");
    await page.click("#train-start");
    await page.waitForFunction(
      () =>
        (window as unknown as Win).__recurrent.train.done !== undefined ||
        (window as unknown as Win).__recurrent.train.error,
      undefined,
      {
        timeout: 90_000,
      },
    );
    const run = await train(page);
    const lateness = await page.evaluate(() => (window as unknown as { __lateness: number }).__lateness);
    expect(run.error).toBeUndefined();
    expect(run.done).toBe("completed");
    expect(run.losses.length).toBe(40);
    // A fresh 40-class classifier starts near the cross-entropy of a uniform guess, ln 40 = 3.69; 40 Adam steps
    // bring the mean of the last 5 losses below 80 % of that (measured: about 2.5).
    const first = mean(run.losses.slice(0, 5));
    const last = mean(run.losses.slice(-5));
    const [acc0, acc1] = [run.accuracies[0]![1], run.accuracies.at(-1)![1]];
    console.log(
      `training worker (js): loss ${first.toFixed(3)} → ${last.toFixed(3)} (mean of first/last 5 of 40 steps), ` +
        `held-out accuracy ${(100 * acc0).toFixed(1)} % → ${(100 * acc1).toFixed(1)} %, page timer late by at most ${lateness.toFixed(0)} ms`,
    );
    expect(Math.abs(first - Math.log(40))).toBeLessThan(0.5);
    expect(last).toBeLessThan(0.8 * Math.log(40));
    expect(acc1).toBeGreaterThan(acc0 + 0.1);
    expect(lateness).toBeLessThan(1000);

    // A long run stops on request, after the current step.
    await page.fill("#train-steps", "100000");
    await page.click("#train-start");
    await page.waitForFunction(() => (window as unknown as Win).__recurrent.train.losses.length >= 3, undefined, {
      timeout: 60_000,
    });
    const stopAt = Date.now();
    await page.click("#train-stop");
    await page.waitForFunction(() => (window as unknown as Win).__recurrent.train.done === "stopped", undefined, {
      timeout: 30_000,
    });
    const stopped = await train(page);
    console.log(`Stop: ended after ${stopped.losses.length} steps, ${Date.now() - stopAt} ms after the click`);
    expect(stopped.losses.length).toBeLessThan(1000);
    expect(await page.textContent("#train-status")).toMatch(/^Stopped after \d+ steps/);

    // The trained model now runs Live.
    await page.click("#train-use");
    await page.setInputFiles("#wav-input", {
      name: "utterance.wav",
      mimeType: "audio/wav",
      buffer: readFileSync(CORPUS_WAV),
    });
    await page.waitForFunction(() => (window as unknown as Win).__recurrent.live.done, undefined, { timeout: 30_000 });
    expect(await page.textContent("#live-source")).toContain("trained here");
    expect(await page.evaluate(() => (window as unknown as Win).__recurrent.live.phones.length)).toBe(163);
    expect(errors).toEqual([]);
    await page.close();
  });

  test("Compare measures streaming frames/s and ms per training step on every available backend", async () => {
    const { page, errors } = await open("js");
    const backends = await page.evaluate(() => (window as unknown as Win).__recurrent.backends);
    // Few frames and one timed step keep the suite short: SwiftShader's webgpu takes seconds per step.
    await page.fill("#compare-frames", "50");
    await page.fill("#compare-steps", "1");
    await page.click("#compare-run");
    await page.waitForFunction(() => (window as unknown as Win).__recurrent.compare.done, undefined, {
      timeout: 110_000,
    });
    const { rows } = await page.evaluate(() => structuredClone((window as unknown as Win).__recurrent.compare));
    for (const r of rows) {
      console.log(
        `compare ${r.backend}: ${r.framesPerSecond?.toFixed(0) ?? "–"} frames/s streaming, ${r.msPerStep?.toFixed(1) ?? "–"} ms per training step` +
          (r.error ? ` (${r.error})` : ""),
      );
    }
    expect(rows.map((r) => r.backend)).toEqual(["js", "webgl", "webgpu"]);
    for (const r of rows) {
      if (backends[r.backend] !== true) {
        expect(r.error).toContain("unavailable");
        continue;
      }
      expect(r.error).toBeUndefined();
      expect(r.framesPerSecond).toBeGreaterThan(0);
      expect(r.msPerStep).toBeGreaterThan(0);
    }
    // Both tfjs browser backends must run here for the suite to mean anything (software GPU, see browser.ts).
    expect(backends.webgl).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 150_000);

  test("a WAV file on tfjs webgpu decides the same phones as Node (when Chromium gives an adapter)", async () => {
    const { page, errors } = await open("js");
    const reason = await page.evaluate(() => (window as unknown as Win).__recurrent.backends.webgpu);
    if (reason !== true) {
      console.log(`webgpu Live check skipped: ${reason}`);
      await page.close();
      return;
    }
    await page.click("#backend-webgpu");
    await page.waitForFunction(() => document.querySelector("#page-status")?.textContent?.includes("ready"));
    await page.setInputFiles("#wav-input", {
      name: "utterance.wav",
      mimeType: "audio/wav",
      buffer: readFileSync(CORPUS_WAV),
    });
    await page.waitForFunction(() => (window as unknown as Win).__recurrent.live.done, undefined, { timeout: 60_000 });
    const phones = await page.evaluate(() => [...(window as unknown as Win).__recurrent.live.phones]);
    const wav = readWav(new Uint8Array(readFileSync(CORPUS_WAV)));
    const node = await nodeDecisions(wav.samples, wav.sampleRate);
    const same = phones.filter((p, i) => p === node[i]).length / node.length;
    console.log(`webgpu Live (dropped WAV): ${(100 * same).toFixed(1)} % of ${node.length} frames as Node`);
    expect(phones.length).toBe(node.length);
    // A file has no capture offset, so frame k is frame k; float32 shaders may flip a near-tie.
    expect(same).toBeGreaterThanOrEqual(0.95);
    expect(errors).toEqual([]);
    await page.close();
  });
});
