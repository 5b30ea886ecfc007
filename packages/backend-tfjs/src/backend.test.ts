import {
  assertValid,
  BackendError,
  dense,
  type Feeds,
  fullLengths,
  graph,
  initWeights,
  input,
  lstm,
  sequential,
  stateInput,
  tensor,
} from "@recurrent/core";
import { describe, expect, test } from "vitest";
import { randomTensor } from "../test/helpers.js";
import { tfjsBackend } from "./index.js";

const model = assertValid(sequential("m", [input("x", 3), lstm("l", { units: 2 }), dense("out", { units: 2 })]));
const weights = initWeights(model, { seed: 1 });
const x = randomTensor([4, 2, 3], 1);
const full = fullLengths(x);

async function runError(feeds: Feeds): Promise<BackendError> {
  const exe = await tfjsBackend({ backend: "cpu" }).compile(model, weights);
  try {
    await exe.run(feeds);
  } catch (e) {
    expect(e).toBeInstanceOf(BackendError);
    return e as BackendError;
  } finally {
    await exe.dispose();
  }
  throw new Error("run did not throw");
}

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

  test("feed errors are typed and name the feed", async () => {
    expect((await runError({})).code).toBe("MISSING_FEED");
    expect((await runError({ x })).message).toMatch(/^missing lengths feed "lengths" of sequence input "x"/);
    expect((await runError({ x: randomTensor([4, 2, 5], 1) })).message).toMatch(
      /"x" has shape \[4, 2, 5\], expected \[time, batch, 3\]/,
    );
    expect((await runError({ x, lengths: Int32Array.of(4, 5) })).message).toMatch(
      /sample 1 has length 5, expected 0\.\.4/,
    );
    expect((await runError({ x, lengths: tensor([2], [1, 2]) })).code).toBe("BAD_LENGTHS");
    const bad = randomTensor([4, 2, 3], 1);
    bad.data[7] = Number.NaN;
    expect((await runError({ x: bad })).message).toMatch(/"x".*NaN at index 7 \(\[1, 0, 1\]/);
    expect((await runError({ x, lengths: full, y: x })).code).toBe("UNKNOWN_FEED");
    expect((await runError({ x, lengths: full, "l/h": randomTensor([2, 2, 2], 3) })).message).toMatch(
      /"l\/h" has shape \[2, 2, 2\], expected \[1, batch, 2\]/,
    );
  });

  test("a wired state input cannot also be fed by key", async () => {
    const g = graph("wired", [input("x", 3), stateInput("h0", 2), lstm("l", { units: 2 }, "x", "h0")], ["l"]);
    const m = assertValid(g);
    const exe = await tfjsBackend({ backend: "cpu" }).compile(m, initWeights(m, { seed: 2 }));
    const h0 = randomTensor([1, 2, 2], 2);
    await expect(exe.run({ x, lengths: full, h0, "l/h": h0 })).rejects.toThrow(/rnn "l" has its state input wired/);
    await exe.dispose();
  });

  test("a missing or misshaped weight is WEIGHTS naming the key", async () => {
    const { "out/bias": _b, ...missing } = weights;
    await expect(tfjsBackend({ backend: "cpu" }).compile(model, missing)).rejects.toThrow(/missing weight "out\/bias"/);
    const misshaped = { ...weights, "out/bias": tensor([3]) };
    await expect(tfjsBackend({ backend: "cpu" }).compile(model, misshaped)).rejects.toThrow(
      /"out\/bias" has shape \[3\].*expected \[2\]/,
    );
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
