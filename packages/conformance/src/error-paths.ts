/**
 * The error paths every backend shares, run once per backend instead of copied into each backend's tests: feed,
 * fetch and weight checks (core's messages, whatever the backend), `dispose()` before and during runs, a batch
 * of 0 samples for every cell, and names that are JavaScript prototype keys. Expected shapes are the IR's rules
 * (docs/design.md), never a backend's output.
 */
import {
  assertValid,
  type Backend,
  BackendError,
  type Cell,
  dense,
  fullLengths,
  graph,
  initWeights,
  input,
  lstm,
  rnn,
  sequential,
  stateInput,
  type Tensor,
  type Weights,
} from "@recurrent/core";
import { beforeAll, describe, expect, test } from "vitest";

const t = (shape: number[], values: number[]): Tensor => ({ shape, data: Float32Array.from(values) });

const model = assertValid(sequential("m", [input("x", 2), lstm("l", { units: 3 }), dense("out", { units: 2 })]));
const weights = initWeights(model, { seed: 3 });
const x = t([3, 2, 2], [0.5, -1, 2, 1, 0.3, 0.1, -0.7, 0.2, 1.1, -0.4, 0.9, 0.6]);
const lengths = fullLengths(x);

async function rejection(promise: Promise<unknown>): Promise<BackendError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof BackendError) return error;
  throw new Error(`expected a BackendError, got ${error === undefined ? "success" : String(error)}`);
}

/** Feeds `run` refuses, with the code and core's message (`checkModelFeeds`). */
const badFeeds: readonly (readonly [string, Record<string, unknown>, string, RegExp])[] = [
  ["a missing input", {}, "MISSING_FEED", /^missing feed "x": expected a float32 tensor of shape \[time, batch, 2\]/],
  ["an unknown feed", { x, lengths, y: x }, "UNKNOWN_FEED", /^unknown feed "y": expected one of: "x", "lengths"/],
  ["a wrong rank", { x: t([2, 2], [1, 2, 3, 4]) }, "FEED_SHAPE", /^feed "x" has shape \[2, 2\].*rank 2 instead of 3/],
  ["a wrong feature size", { x: t([1, 1, 3], [1, 2, 3]) }, "FEED_SHAPE", /dim 2 is 3, must be 2/],
  [
    "data not matching the shape",
    { x: { shape: [2, 1, 2], data: new Float32Array(2) } },
    "FEED_SHAPE",
    /^feed "x" has 2 values but its shape \[2, 1, 2\] needs 4/,
  ],
  ["lengths as a tensor", { x, lengths: t([2], [3, 3]) }, "BAD_LENGTHS", /must be an Int32Array of 2 lengths/],
  ["too few lengths", { x, lengths: Int32Array.of(3) }, "BAD_LENGTHS", /has 1 entries, expected 2/],
  ["a length past T", { x, lengths: Int32Array.of(3, 4) }, "BAD_LENGTHS", /sample 1 has length 4, expected 0\.\.3/],
  [
    "a state of another batch",
    { x, lengths, "l/h": t([1, 3, 3], Array(9).fill(0)) },
    "FEED_SHAPE",
    /^feed "l\/h" has shape \[1, 3, 3\].*batch = 3 here but 2 in feed "x"/,
  ],
  [
    "a non-finite input",
    { x: t([1, 1, 2], [1, Number.NaN]), lengths: Int32Array.of(1) },
    "NON_FINITE",
    /^feed "x" has a non-finite value NaN at index 1/,
  ],
];

/** Registers the shared error-path checks of one backend. */
export function describeErrorPaths(backend: Backend): void {
  describe("error paths", () => {
    let exe: Awaited<ReturnType<Backend["compile"]>>;
    beforeAll(async () => {
      exe = await backend.compile(model, weights);
    });

    test.each(badFeeds)("run refuses %s", async (_, feeds, code, message) => {
      const error = await rejection(exe.run(feeds as never));
      expect([error.code, error.message]).toEqual([code, expect.stringMatching(message)]);
    });

    test("a wired state input cannot also be fed by key (UNKNOWN_FEED saying why)", async () => {
      const m = assertValid(
        graph("wired", [input("x", 2), stateInput("h0", 3), lstm("l", { units: 3 }, "x", "h0")], ["l"]),
      );
      const e = await backend.compile(m, initWeights(m, { seed: 2 }));
      const h0 = t([1, 2, 3], [0, 0, 0, 0, 0, 0]);
      const error = await rejection(e.run({ x, lengths, h0, "l/h": h0 }));
      expect([error.code, error.message]).toEqual([
        "UNKNOWN_FEED",
        'unknown feed "l/h": rnn "l" has its state input wired in the graph, so its initial state cannot be fed',
      ]);
      await e.dispose();
    });

    test("run refuses to fetch a value the model does not have", async () => {
      const error = await rejection(exe.run({ x, lengths }, { fetch: ["nope"] }));
      expect([error.code, error.message]).toEqual(["BAD_CONFIG", expect.stringMatching(/^cannot fetch "nope"/)]);
    });

    test("compile refuses a missing weight (WEIGHTS, naming the node) and a NaN weight (NON_FINITE)", async () => {
      const { "out/bias": _, ...missing } = weights;
      const error = await rejection(backend.compile(model, missing));
      expect([error.code, error.nodeId, error.message]).toEqual([
        "WEIGHTS",
        "out",
        expect.stringMatching(/^compile: missing weight "out\/bias" of shape \[2\]/),
      ]);
      const misshaped = await rejection(backend.compile(model, { ...weights, "out/bias": t([3], [0, 0, 0]) }));
      expect(misshaped.message).toBe('compile: weight "out/bias" has shape [3] (3 values), expected [2]');
      const bad = Float32Array.from(weights["l/weight_hh"]!.data);
      bad[5] = Number.NaN;
      const nan = await rejection(backend.compile(model, { ...weights, "l/weight_hh": { shape: [12, 3], data: bad } }));
      expect([nan.code, nan.nodeId, nan.message]).toEqual([
        "NON_FINITE",
        "l",
        'compile: weight "l/weight_hh" has a non-finite value NaN at flat index 5 of [12, 3]',
      ]);
    });

    test("dispose() lets runs in flight finish, then refuses new runs with DISPOSED; twice is fine", async () => {
      const own = await backend.compile(model, weights);
      const expected = await exe.run({ x, lengths });
      const inFlight = [own.run({ x, lengths }), own.run({ x, lengths })];
      const disposed = own.dispose();
      const late = await rejection(own.run({ x, lengths }));
      expect([late.code, late.message]).toEqual(["DISPOSED", 'run(): the executable of model "m" was disposed']);
      for (const out of await Promise.all(inFlight)) expect([...out.out!.data]).toEqual([...expected.out!.data]);
      await disposed;
      await own.dispose();
      expect((await rejection(own.run({ x, lengths }))).code).toBe("DISPOSED");
    });

    for (const cell of ["simple", "gru", "lstm"] as const satisfies readonly Cell[]) {
      test(`a batch of 0 samples gives empty outputs of the right shapes (${cell}, bidirectional too)`, async () => {
        const m = assertValid(
          sequential(`b0-${cell}`, [
            input("x", 39),
            rnn("r", { cell, units: 4, direction: "bidirectional", merge: "concat" }),
            rnn("u", { cell, units: 3 }),
            dense("out", { units: 5 }),
          ]),
        );
        const e = await backend.compile(m, initWeights(m, { seed: 1 }));
        const fetch = ["out", "r/h", "u/h", ...(cell === "lstm" ? ["u/c"] : [])];
        const out = await e.run({ x: t([4, 0, 39], []), lengths: new Int32Array(0) }, { fetch });
        expect(Object.fromEntries(fetch.map((k) => [k, [out[k]!.shape, out[k]!.data.length]]))).toEqual({
          out: [[4, 0, 5], 0],
          "r/h": [[2, 0, 4], 0],
          "u/h": [[1, 0, 3], 0],
          ...(cell === "lstm" ? { "u/c": [[1, 0, 3], 0] } : {}),
        });
        await e.dispose();
      });
    }

    test('names that are JavaScript prototype keys ("constructor", "toString", "valueOf") run', async () => {
      const m = assertValid(
        sequential("proto", [
          input("constructor", 2, { lengths: "hasOwnProperty" }),
          lstm("toString", { units: 3 }),
          dense("valueOf", { units: 2 }),
        ]),
      );
      const w: Weights = initWeights(m, { seed: 2 });
      const e = await backend.compile(m, w);
      const feeds = { constructor: x, hasOwnProperty: lengths } as never;
      const out = await e.run(feeds, { fetch: ["valueOf", "toString/h"] });
      expect(Object.keys(out).sort()).toEqual(["toString/h", "valueOf"]);
      // Read through a string-typed key: `out.valueOf` would name Object.prototype's method to the type checker.
      const denseId: string = "valueOf";
      const y = out[denseId]!;
      expect([y.shape, out["toString/h"]!.shape]).toEqual([
        [3, 2, 2],
        [1, 2, 3],
      ]);
      // Same numbers as the same graph under ordinary names.
      const plain = assertValid(
        sequential("plain", [input("x", 2), lstm("l", { units: 3 }), dense("out", { units: 2 })]),
      );
      const rename = (k: string) => k.replace("toString/", "l/").replace("valueOf/", "out/");
      const p = await backend.compile(plain, Object.fromEntries(Object.entries(w).map(([k, v]) => [rename(k), v])));
      const ref = await p.run({ x, lengths });
      expect([...y.data]).toEqual([...ref.out!.data]);
      const missing = await rejection(e.run({ hasOwnProperty: lengths } as never));
      expect([missing.code, missing.nodeId]).toEqual(["MISSING_FEED", "constructor"]);
      await Promise.all([e.dispose(), p.dispose()]);
    });
  });
}
