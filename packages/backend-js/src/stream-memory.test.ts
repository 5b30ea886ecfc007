import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { assertValid, dense, initWeights, input, lstm, sequential, stream } from "@recurrent/core";
import { expect, test } from "vitest";
import { jsBackend } from "./index.js";

// Issue: "A 10⁶-frame stream runs in constant memory" — with the real engine, not a stand-in. A tiny model keeps
// the run short; what is measured is what the engine and stream() keep per frame, which must be nothing.
test("10^6 frames streamed one by one through backend-js keep the heap constant", async () => {
  const model = assertValid(sequential("tiny", [input("x", 2), lstm("l", { units: 4 }), dense("y", { units: 1 })]));
  const exe = await jsBackend().compile(model, initWeights(model, { seed: 1 }));
  const live = stream(exe);
  const frame = { shape: [1, 2], data: Float32Array.of(0.1, -0.2) };
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const heap = () => {
    gc();
    return process.memoryUsage().heapUsed;
  };
  for (let i = 0; i < 10_000; i++) await live.push(frame);
  const before = heap();
  let last = 0;
  for (let i = 10_000; i < 1_000_000; i++) last = (await live.push(frame)).y!.data[0]!;
  const grown = heap() - before;
  expect(live.frames).toBe(1_000_000);
  // A constant input drives the LSTM to a fixed point: the output must be finite and settled, not drifting.
  expect(Number.isFinite(last)).toBe(true);
  expect(grown).toBeLessThan(20 * 2 ** 20);
  await exe.dispose();
}, 300_000);
