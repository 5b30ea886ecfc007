/**
 * When a browser realm may start training Web Workers, and the cores it reports; the globals are stubbed (Node
 * has no `Worker`). Real workers in Chromium: test/browser/threads.test.ts.
 */
import { afterEach, describe, expect, test, vi } from "vitest";
import { browserCores, webWorkersAvailable } from "./web-worker-pool.js";

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("webWorkersAvailable (threads/web-worker-pool.ts)", () => {
  test("needs Worker, SharedArrayBuffer and crossOriginIsolated === true", () => {
    expect(webWorkersAvailable()).toBe(false); // Node: no Worker global
    vi.stubGlobal("Worker", class {});
    expect(webWorkersAvailable()).toBe(false); // not isolated
    vi.stubGlobal("crossOriginIsolated", true);
    expect(webWorkersAvailable()).toBe(true);
    // A page without isolation has no SharedArrayBuffer at all, whatever crossOriginIsolated says.
    vi.stubGlobal("SharedArrayBuffer", undefined);
    expect(webWorkersAvailable()).toBe(false);
  });
});

describe("browserCores", () => {
  test("navigator.hardwareConcurrency, or undefined when it is missing or not a count", () => {
    vi.stubGlobal("navigator", { hardwareConcurrency: 6 });
    expect(browserCores()).toBe(6);
    vi.stubGlobal("navigator", {});
    expect(browserCores()).toBeUndefined();
    vi.stubGlobal("navigator", { hardwareConcurrency: 0 });
    expect(browserCores()).toBeUndefined();
    vi.stubGlobal("navigator", undefined);
    expect(browserCores()).toBeUndefined();
  });
});
