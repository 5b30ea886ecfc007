import {
  assertValid,
  BackendError,
  dense,
  type Executable,
  frameStack,
  fullLengths,
  graph,
  initWeights,
  input,
  lstm,
  OPS,
  rnn,
  sequential,
  stateInput,
  stream,
} from "@recurrent/core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { onnxBackend } from "./backend.js";
import { expectClose, frame, t } from "./test-helpers.js";

const model = assertValid(sequential("m", [input("x", 2), lstm("l", { units: 3 }), dense("out", { units: 2 })]));
const weights = initWeights(model, { seed: 3 });
const x = t([3, 2, 2], [0.5, -1, 2, 1, 0.3, 0.1, -0.7, 0.2, 1.1, -0.4, 0.9, 0.6]);
const lengths = fullLengths(x);
let exe: Executable;

beforeAll(async () => {
  exe = await onnxBackend().compile(model, weights);
});
afterAll(async () => {
  await exe.dispose();
});

const rejection = async (promise: Promise<unknown>): Promise<BackendError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof BackendError) return error;
  throw new Error(`expected a BackendError, got ${String(error)}`);
};

describe("onnxBackend", () => {
  test("is inference only and supports every op", () => {
    const backend = onnxBackend();
    expect(backend.name).toBe("onnx");
    expect(backend.trainer).toBeUndefined();
    expect(backend.gradients).toBeUndefined();
    for (const op of OPS) expect(backend.supports({ op, id: "n", inputs: [] } as never)).toBe(true);
  });

  test("one executable serves any T and B; a declared lengths feed is required, with core's message", async () => {
    const full = await exe.run({ x, lengths: Int32Array.from([3, 3]) });
    const missing = await rejection(exe.run({ x }));
    expect([missing.code, missing.nodeId]).toEqual(["MISSING_FEED", "x"]);
    expect(missing.message).toMatch(
      /^missing lengths feed "lengths" of sequence input "x" \[time, batch, 2\] \(fed \[3, 2, 2\]\)/,
    );
    const one = await exe.run({ x: t([1, 1, 2], [0.5, -1]), lengths: Int32Array.of(1) });
    expect(one.out?.shape).toEqual([1, 1, 2]);
    expect(frame(one.out!, 0, 0)).toEqual(frame(full.out!, 0, 0));
  });

  test("fetch returns states and intermediate values", async () => {
    const out = await exe.run({ x, lengths }, { fetch: ["l", "l/c", "out"] });
    expect(Object.keys(out).sort()).toEqual(["l", "l/c", "out"]);
    expect(out.l?.shape).toEqual([3, 2, 3]);
    expect(out["l/c"]?.shape).toEqual([1, 2, 3]);
    const again = await exe.run({ x, lengths }, { fetch: ["l"] });
    expect([...again.l!.data]).toEqual([...out.l!.data]);
  });

  test("streaming frame by frame with state fed back equals the whole sequence", async () => {
    const s = stream(exe);
    const whole = await exe.run({ x, lengths });
    for (let step = 0; step < 3; step++) {
      const frames = t([2, 2], [...frame(x, step, 0), ...frame(x, step, 1)]);
      const { out } = await s.push(frames);
      expect(out?.shape).toEqual([2, 2]);
      for (let b = 0; b < 2; b++) {
        expectClose(frame(out!, b), frame(whole.out!, step, b), 1e-6);
      }
    }
  });

  test("wired state inputs are ordinary feeds; a bidirectional model cannot stream", async () => {
    const wired = assertValid(
      graph("w", [input("x", 2), stateInput("h0", 3), rnn("r", { cell: "gru", units: 3 }, "x", "h0")], ["r"]),
    );
    const w = await onnxBackend().compile(wired, initWeights(wired, { seed: 1 }));
    const error = await rejection(w.run({ x, lengths }));
    expect([error.code, error.message]).toEqual(["MISSING_FEED", expect.stringMatching(/"h0"/)]);
    expect((await w.run({ x, lengths, h0: t([1, 2, 3], Array(6).fill(0.5)) })).r?.shape).toEqual([3, 2, 3]);
    await w.dispose();
    const bi = assertValid(
      sequential("b", [
        input("x", 2),
        frameStack("f", { left: 0 }),
        lstm("l", { units: 2, direction: "bidirectional" }),
      ]),
    );
    const b = await onnxBackend().compile(bi, initWeights(bi, { seed: 1 }));
    expect(() => stream(b)).toThrow(/bidirectional/);
    await b.dispose();
  });
});
