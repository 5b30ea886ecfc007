import { describe, expect, test } from "vitest";
import { graph, input, lstm, sequential, stateInput } from "../ir/builders.js";
import { assertValid } from "../ir/validate.js";
import { type Tensor, tensor } from "../tensor/tensor.js";
import type { Feeds } from "./backend.js";
import { checkLengthsFed, checkModelFeeds, feedPlan, zeroPaddedFeeds } from "./check-feeds.js";
import { BackendError } from "./errors.js";

const model = assertValid(sequential("m", [input("x", 3), lstm("l", { units: 2 })]));
const wiredModel = assertValid(
  graph("wired", [input("x", 3), stateInput("h0", 2), lstm("l", { units: 2 }, "x", "h0")], ["l"]),
);

function ones(shape: number[]): Tensor {
  return { shape, data: new Float32Array(shape.reduce((a, d) => a * d, 1)).fill(0.5) };
}
const x = ones([4, 2, 3]);
/** Lengths of `x`: every sample uses all 4 steps. */
const lengths = new Int32Array([4, 4]);

function checkError(feeds: Feeds, m = model): BackendError {
  try {
    checkModelFeeds(m, feeds);
  } catch (e) {
    expect(e).toBeInstanceOf(BackendError);
    return e as BackendError;
  }
  throw new Error("checkModelFeeds did not throw");
}

describe("feedPlan", () => {
  test("lists inputs, lengths and the unwired state keys, once per model", () => {
    const plan = feedPlan(model);
    expect(plan.inputs.map((n) => n.id)).toEqual(["x"]);
    expect(plan.lengths.map((l) => l.name)).toEqual(["lengths"]);
    expect(plan.states.map((s) => [s.key, s.slot, s.shape])).toEqual([
      ["l/h", 1, [1, "batch", 2]],
      ["l/c", 2, [1, "batch", 2]],
    ]);
    expect([...plan.known]).toEqual(["x", "lengths", "l/h", "l/c"]);
    expect(feedPlan(model)).toBe(plan);
    expect(feedPlan(wiredModel).states.map((s) => s.key)).toEqual(["l/c"]);
  });
});

describe("checkModelFeeds", () => {
  test("returns B and T of valid feeds", () => {
    const sizes = checkModelFeeds(model, { x, lengths: new Int32Array([4, 1]), "l/h": ones([1, 2, 2]) });
    expect(sizes.batch).toBe(2);
    const dims = Object.fromEntries(sizes.plan.symbols.map((s, i) => [s, sizes.dims[i]]));
    expect(dims).toEqual({ time: 4, batch: 2 });
  });

  test("MISSING_FEED names the input and its expected shape", () => {
    const e = checkError({});
    expect(e.code).toBe("MISSING_FEED");
    expect(e.message).toMatch(/"x".*\[time, batch, 3\]/);
  });

  test("FEED_SHAPE names the input, expected and found", () => {
    const e = checkError({ x: ones([4, 2, 5]) });
    expect(e.code).toBe("FEED_SHAPE");
    expect(e.message).toMatch(/"x" has shape \[4, 2, 5\], expected \[time, batch, 3\]/);
    expect(checkError({ x: ones([4, 3]) }).code).toBe("FEED_SHAPE");
    expect(checkError({ x: new Int32Array(3) }).code).toBe("FEED_SHAPE");
    expect(checkError({ x: { shape: [4, 2, 3], data: new Float32Array(5) } }).message).toMatch(/5 values/);
  });

  test("FEED_SHAPE when two feeds disagree on the batch", () => {
    const e = checkError({ x, h0: ones([1, 3, 2]) }, wiredModel);
    expect(e.code).toBe("FEED_SHAPE");
    expect(e.message).toMatch(/batch = 3 here but 2 in feed "x"/);
  });

  test("MISSING_FEED for a declared lengths feed: names the input, the feed, both shapes and both remedies", () => {
    const e = checkError({ x });
    expect(e.code).toBe("MISSING_FEED");
    expect(e.nodeId).toBe("x");
    expect(e.message).toBe(
      'missing lengths feed "lengths" of sequence input "x" [time, batch, 3] (fed [4, 2, 3]): the input declares it, ' +
        "so every run must feed an Int32Array of 2 valid step counts. Feed it ({ x, lengths: fullLengths(x) } when " +
        'every sample uses all 4 steps), or declare the input without lengths: input("x", 3, { lengths: false })',
    );
    // The same rule on its own, for a backend that checks the rest itself; an absent input is left to the caller.
    expect(() => checkLengthsFed(model, { x })).toThrow(e.message);
    expect(() => checkLengthsFed(model, {})).not.toThrow();
    expect(() => checkLengthsFed(model, { x, lengths })).not.toThrow();
  });

  test("the remedy keeps a custom time symbol; two inputs with their own lengths feeds are each required", () => {
    const two = assertValid(
      graph(
        "two",
        [input("a", 3, { time: "ta", lengths: "la" }), input("b", 2, { time: "tb", lengths: "lb" })],
        ["a", "b"],
      ),
    );
    const a = ones([4, 2, 3]);
    const b = ones([5, 2, 2]);
    const e = checkError({ a, b, la: lengths }, two);
    expect([e.code, e.nodeId]).toEqual(["MISSING_FEED", "b"]);
    expect(e.message).toMatch(/"lb" of sequence input "b" \[tb, batch, 2\] \(fed \[5, 2, 2\]\)/);
    expect(e.message).toMatch(/input\("b", 2, \{ lengths: false, time: "tb" \}\)$/);
    expect(checkModelFeeds(two, { a, b, la: lengths, lb: new Int32Array([5, 0]) }).batch).toBe(2);
  });

  test("an input declared with lengths: false takes no lengths feed", () => {
    const free = assertValid(sequential("free", [input("x", 3, { lengths: false }), lstm("l", { units: 2 })]));
    expect(feedPlan(free).lengths).toEqual([]);
    expect(checkModelFeeds(free, { x }).batch).toBe(2);
    const e = checkError({ x, lengths }, free);
    expect(e.code).toBe("UNKNOWN_FEED");
    expect(e.message).toBe(
      'unknown feed "lengths": expected one of: "x", "l/h", "l/c"; sequence input "x" declares no lengths feed ' +
        "(every sample uses all T steps)",
    );
  });

  test("BAD_LENGTHS for a wrong type, size or range", () => {
    expect(checkError({ x, lengths: new Int32Array([4]) }).code).toBe("BAD_LENGTHS");
    expect(checkError({ x, lengths: new Int32Array([4, 5]) }).message).toMatch(
      /sample 1 has length 5, expected 0\.\.4/,
    );
    expect(checkError({ x, lengths: new Int32Array([-1, 0]) }).code).toBe("BAD_LENGTHS");
    expect(checkError({ x, lengths: tensor([2], [1, 2]) }).code).toBe("BAD_LENGTHS");
  });

  test("NON_FINITE names the feed and the index", () => {
    const bad = ones([4, 2, 3]);
    bad.data[7] = Number.NaN;
    const lengths = Int32Array.of(4, 4);
    const e = checkError({ x: bad, lengths });
    expect(e.code).toBe("NON_FINITE");
    expect(e.message).toMatch(/"x".*NaN at index 7 \(\[1, 0, 1\]/);
    bad.data[7] = Number.POSITIVE_INFINITY;
    expect(checkError({ x: bad, lengths }).code).toBe("NON_FINITE");
  });

  test("padded frames may hold anything, NaN included; zeroPaddedFeeds zeroes them in a copy", () => {
    const x = ones([4, 2, 3]);
    x.data[(3 * 2 + 1) * 3] = Number.NaN; // t = 3, b = 1: padded, since sample 1 has 2 steps
    x.data[(2 * 2 + 1) * 3 + 2] = Number.NEGATIVE_INFINITY; // t = 2, b = 1: padded
    const feeds = { x, lengths: Int32Array.of(4, 2) };
    expect(checkModelFeeds(model, feeds).batch).toBe(2);
    const zeroed = zeroPaddedFeeds(model, feeds).x as typeof x;
    expect(x.data[(3 * 2 + 1) * 3]).toBeNaN(); // the caller's tensor is left alone
    const expected = ones([4, 2, 3]).data;
    for (const t of [2, 3]) expected.fill(0, (t * 2 + 1) * 3, (t * 2 + 2) * 3);
    expect([...zeroed.data]).toEqual([...expected]);
    const clean = { x: ones([4, 2, 3]), lengths: Int32Array.of(4, 4) };
    expect(zeroPaddedFeeds(model, clean)).toBe(clean);
  });

  test("UNKNOWN_FEED for a name that is no input, lengths or state key", () => {
    const e = checkError({ x, lengths, y: x });
    expect(e.code).toBe("UNKNOWN_FEED");
    expect(e.message).toMatch(/"y".*"x", "lengths", "l\/h", "l\/c"/);
  });

  test("UNKNOWN_FEED for a state key whose state input is wired", () => {
    const h0 = ones([1, 2, 2]);
    const e = checkError({ x, lengths, h0, "l/h": h0 }, wiredModel);
    expect(e.code).toBe("UNKNOWN_FEED");
    expect(e.message).toMatch(/wired/);
    // l/c is not wired, so it may be fed.
    expect(checkModelFeeds(wiredModel, { x, lengths, h0, "l/c": h0 }).batch).toBe(2);
  });

  test("FEED_SHAPE for a state feed of the wrong shape", () => {
    const e = checkError({ x, lengths, "l/h": ones([2, 2, 2]) });
    expect(e.code).toBe("FEED_SHAPE");
    expect(e.message).toMatch(/"l\/h" has shape \[2, 2, 2\], expected \[1, batch, 2\]/);
  });

  test("a failed check leaves no binding behind for the next one", () => {
    expect(checkError({ x, lengths, "l/h": ones([1, 3, 2]) }).code).toBe("FEED_SHAPE");
    expect(checkModelFeeds(model, { x: ones([2, 5, 3]), lengths: new Int32Array(5).fill(2) }).batch).toBe(5);
  });
});
