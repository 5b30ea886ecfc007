import { describe, expect, test } from "vitest";
import type { Feeds, Outputs } from "../backend/backend.js";
import { BackendError } from "../backend/errors.js";
import { dense, gru, input, sequential } from "../ir/builders.js";
import { assertValid } from "../ir/validate.js";
import { fullLengths } from "../tensor/batch.js";
import { createExecutable, type InferenceEngine } from "./executable.js";

const model = assertValid(sequential("m", [input("x", 2), gru("g", { units: 3 }), dense("out", { units: 1 })]));
const x = { shape: [2, 1, 2], data: Float32Array.of(1, 2, 3, 4) };
const feeds: Feeds = { x, lengths: fullLengths(x) };
const answer: Outputs = { out: { shape: [2, 1, 1], data: Float32Array.of(7, 8) } };

/** An engine that records its calls and answers when told to. */
function fakeEngine(async = false) {
  const log: string[] = [];
  let release: () => void = () => {};
  const engine: InferenceEngine = {
    run(_feeds, fetch) {
      log.push(`run ${fetch.join(",")}`);
      if (!async) return answer;
      return new Promise((resolve) => {
        release = () => {
          log.push("run done");
          resolve(answer);
        };
      });
    },
    dispose() {
      log.push("dispose");
    },
  };
  return { engine, log, release: () => release() };
}

async function rejection(p: Promise<unknown>): Promise<BackendError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (e instanceof BackendError) return e;
  throw new Error(`expected a BackendError, got ${String(e)}`);
}

describe("createExecutable", () => {
  test("checks fetch and feeds before the engine runs", async () => {
    const { engine, log } = fakeEngine();
    const exe = createExecutable(model, engine);
    expect((await rejection(exe.run(feeds, { fetch: ["nope"] }))).code).toBe("BAD_CONFIG");
    expect((await rejection(exe.run({ x }))).code).toBe("MISSING_FEED");
    expect(await exe.run(feeds)).toBe(answer);
    expect(log).toEqual(["run out"]);
  });

  test("a batch of 0 samples answers empty tensors of the fetched shapes without the engine", async () => {
    const { engine, log } = fakeEngine();
    const exe = createExecutable(model, engine);
    const out = await exe.run(
      { x: { shape: [4, 0, 2], data: new Float32Array(0) }, lengths: new Int32Array(0) },
      {
        fetch: ["out", "g/h"],
      },
    );
    expect(out).toEqual({
      out: { shape: [4, 0, 1], data: new Float32Array(0) },
      "g/h": { shape: [1, 0, 3], data: new Float32Array(0) },
    });
    expect(log).toEqual([]);
  });

  test("dispose() waits for runs in flight, which keep their results, and refuses later runs", async () => {
    const { engine, log, release } = fakeEngine(true);
    const exe = createExecutable(model, engine);
    const running = exe.run(feeds);
    const disposed = exe.dispose();
    expect(exe.dispose()).toBe(disposed);
    const late = await rejection(exe.run(feeds));
    expect([late.code, late.message]).toEqual(["DISPOSED", 'run(): the executable of model "m" was disposed']);
    await Promise.resolve();
    expect(log).toEqual(["run out"]);
    release();
    expect(await running).toBe(answer);
    await disposed;
    expect(log).toEqual(["run out", "run done", "dispose"]);
  });
});
