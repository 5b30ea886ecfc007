import { assertValid, BackendError, dense, fullLengths, initWeights, input, lstm, sequential } from "@recurrent/core";
import { describe, expect, test } from "vitest";
import { randomTensor } from "../test/helpers.js";
import { tfjsBackend } from "./index.js";

const model = assertValid(sequential("m", [input("x", 3), lstm("l", { units: 2 }), dense("out", { units: 2 })]));
const weights = initWeights(model, { seed: 1 });
const x = randomTensor([4, 2, 3], 1);
const full = fullLengths(x);

describe("init", () => {
  test("an unregistered tfjs backend is NO_BACKEND, listing what is registered and how to get it", async () => {
    const err = await tfjsBackend({ backend: "webgpu" }).init!().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as BackendError).code).toBe("NO_BACKEND");
    expect((err as BackendError).message).toMatch(
      /"webgpu" is not registered \(registered: .*cpu.*\).*tfjs-backend-webgpu/,
    );
  });

  test("webgl is not available in Node: NO_BACKEND with a hint", async () => {
    const err = await tfjsBackend({ backend: "webgl" }).init!().catch((e: unknown) => e);
    expect((err as BackendError).code).toBe("NO_BACKEND");
    expect((err as BackendError).message).toMatch(/"webgl" is not registered .*needs a browser.*use cpu or wasm/);
  });

  test("compile starts tfjs itself when init() was not called", async () => {
    const exe = await tfjsBackend({ backend: "cpu" }).compile(model, weights);
    const { out } = await exe.run({ x, lengths: full });
    expect(out!.shape).toEqual([4, 2, 2]);
    await exe.dispose();
  });
});

describe("run", () => {
  test("fetch returns states; an unknown name is BAD_CONFIG listing the values", async () => {
    const exe = await tfjsBackend({ backend: "cpu" }).compile(model, weights);
    const r = await exe.run({ x, lengths: full }, { fetch: ["l/h", "l/c", "l"] });
    expect(Object.keys(r)).toEqual(["l/h", "l/c", "l"]);
    expect(r["l/h"]!.shape).toEqual([1, 2, 2]);
    // The final h of a full-length forward LSTM is its last output frame.
    expect([...r["l/h"]!.data]).toEqual([...r.l!.data.subarray(3 * 4, 4 * 4)]);
    await expect(exe.run({ x, lengths: full }, { fetch: ["nope"] })).rejects.toThrow(
      /cannot fetch "nope".*values: x, l, l\/h, l\/c, out/,
    );
    await exe.dispose();
    await expect(exe.run({ x, lengths: full })).rejects.toMatchObject({ code: "DISPOSED" });
  });

  test("padded output frames are zero and garbage at padded input frames changes nothing", async () => {
    const exe = await tfjsBackend({ backend: "cpu" }).compile(model, weights);
    const lengths = Int32Array.of(4, 1);
    const a = await exe.run({ x, lengths }, { fetch: ["out", "l/h"] });
    const garbage = { shape: x.shape, data: x.data.slice() };
    for (let t = 1; t < 4; t++) garbage.data.fill(1e3, (t * 2 + 1) * 3, (t * 2 + 2) * 3);
    const b = await exe.run({ x: garbage, lengths }, { fetch: ["out", "l/h"] });
    expect(b.out!.data).toEqual(a.out!.data);
    expect(b["l/h"]!.data).toEqual(a["l/h"]!.data);
    for (let t = 1; t < 4; t++) expect([...a.out!.data.subarray((t * 2 + 1) * 2, (t * 2 + 2) * 2)]).toEqual([0, 0]);
    await exe.dispose();
  });
});

test("executables on cpu and wasm can alternate: each reactivates its tfjs backend and agrees", async () => {
  const cpu = await tfjsBackend({ backend: "cpu" }).compile(model, weights);
  const wasm = await tfjsBackend({ backend: "wasm" }).compile(model, weights);
  const a = await cpu.run({ x, lengths: full });
  const b = await wasm.run({ x, lengths: full });
  const c = await cpu.run({ x, lengths: full });
  expect(c.out!.data).toEqual(a.out!.data);
  for (let i = 0; i < a.out!.data.length; i++) expect(b.out!.data[i]).toBeCloseTo(a.out!.data[i]!, 5);
  await cpu.dispose();
  await wasm.dispose();
});
