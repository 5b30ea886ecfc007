import { availableParallelism } from "node:os";
import { afterEach, describe, expect, test, vi } from "vitest";
import { resolveThreads } from "./threads-option.js";

describe("resolveThreads", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  test("defaults to the available cores, at most 4; an explicit count is kept", () => {
    expect(resolveThreads(undefined)).toBe(Math.min(availableParallelism(), 4));
    expect(resolveThreads(1)).toBe(1);
    expect(resolveThreads(6)).toBe(6);
  });

  test("is 1 without SharedArrayBuffer (a page without cross-origin isolation)", () => {
    vi.stubGlobal("SharedArrayBuffer", undefined);
    expect(resolveThreads(4)).toBe(1);
    expect(resolveThreads(undefined)).toBe(1);
  });

  test("is 1 without Node's worker_threads (a browser: no process.getBuiltinModule)", () => {
    vi.stubGlobal("process", { ...process, getBuiltinModule: undefined });
    expect(resolveThreads(2)).toBe(1);
  });

  test("refuses a count that is not an integer >= 1, naming it", () => {
    for (const bad of [0, -1, 2.5, Number.NaN]) {
      expect(() => resolveThreads(bad)).toThrow(`jsBackend: threads must be an integer >= 1, got ${bad}`);
    }
  });
});
