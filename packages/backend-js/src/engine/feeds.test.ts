import { BackendError, type Feeds, graph, input, lstm, sequential, stateInput, tensor } from "@recurrent/core";
import { describe, expect, test } from "vitest";
import { modelOf, randomTensor } from "../../test/helpers.js";
import { jsBackend } from "../index.js";

const { model, weights } = modelOf(sequential("m", [input("x", 3), lstm("l", { units: 2 })]));
const x = randomTensor([4, 2, 3], 1);

async function runError(feeds: Feeds, m = model, w = weights): Promise<BackendError> {
  const exe = await jsBackend().compile(m, w);
  try {
    await exe.run(feeds);
  } catch (e) {
    expect(e).toBeInstanceOf(BackendError);
    return e as BackendError;
  }
  throw new Error("run did not throw");
}

describe("feed validation", () => {
  test("MISSING_FEED names the input and its expected shape", async () => {
    const e = await runError({});
    expect(e.code).toBe("MISSING_FEED");
    expect(e.message).toMatch(/"x".*\[time, batch, 3\]/);
  });

  test("FEED_SHAPE names the input, expected and found", async () => {
    const e = await runError({ x: randomTensor([4, 2, 5], 1) });
    expect(e.code).toBe("FEED_SHAPE");
    expect(e.message).toMatch(/"x" has shape \[4, 2, 5\], expected \[time, batch, 3\]/);
    expect((await runError({ x: randomTensor([4, 3], 1) })).code).toBe("FEED_SHAPE");
    expect((await runError({ x: new Int32Array(3) })).code).toBe("FEED_SHAPE");
    expect((await runError({ x: { shape: [4, 2, 3], data: new Float32Array(5) } })).message).toMatch(/5 values/);
  });

  test("FEED_SHAPE when two feeds disagree on the batch", async () => {
    const g = graph("two", [input("x", 3), stateInput("h0", 2), lstm("l", { units: 2 }, "x", "h0")], ["l"]);
    const m = modelOf(g);
    const e = await runError({ x, h0: randomTensor([1, 3, 2], 2) }, m.model, m.weights);
    expect(e.code).toBe("FEED_SHAPE");
    expect(e.message).toMatch(/batch = 3 here but 2 in feed "x"/);
  });

  test("BAD_LENGTHS for a wrong type, size or range", async () => {
    expect((await runError({ x, lengths: new Int32Array([4]) })).code).toBe("BAD_LENGTHS");
    expect((await runError({ x, lengths: new Int32Array([4, 5]) })).message).toMatch(
      /sample 1 has length 5, expected 0\.\.4/,
    );
    expect((await runError({ x, lengths: new Int32Array([-1, 0]) })).code).toBe("BAD_LENGTHS");
    expect((await runError({ x, lengths: tensor([2], [1, 2]) })).code).toBe("BAD_LENGTHS");
  });

  test("NON_FINITE names the feed and the index", async () => {
    const bad = randomTensor([4, 2, 3], 1);
    bad.data[7] = Number.NaN;
    const e = await runError({ x: bad });
    expect(e.code).toBe("NON_FINITE");
    expect(e.message).toMatch(/"x".*NaN at index 7 \(\[1, 0, 1\]/);
    bad.data[7] = Number.POSITIVE_INFINITY;
    expect((await runError({ x: bad })).code).toBe("NON_FINITE");
  });

  test("UNKNOWN_FEED for a name that is no input, lengths or state key", async () => {
    const e = await runError({ x, y: x });
    expect(e.code).toBe("UNKNOWN_FEED");
    expect(e.message).toMatch(/"y".*"x", "lengths", "l\/h", "l\/c"/);
  });

  test("UNKNOWN_FEED for a state key whose state input is wired", async () => {
    const g = graph("wired", [input("x", 3), stateInput("h0", 2), lstm("l", { units: 2 }, "x", "h0")], ["l"]);
    const m = modelOf(g);
    const h0 = randomTensor([1, 2, 2], 2);
    const e = await runError({ x, h0, "l/h": h0 }, m.model, m.weights);
    expect(e.code).toBe("UNKNOWN_FEED");
    expect(e.message).toMatch(/wired/);
    // l/c is not wired, so it may be fed.
    const exe = await jsBackend().compile(m.model, m.weights);
    await expect(exe.run({ x, h0, "l/c": h0 })).resolves.toBeDefined();
  });

  test("FEED_SHAPE for a state feed of the wrong shape", async () => {
    const e = await runError({ x, "l/h": randomTensor([2, 2, 2], 3) });
    expect(e.code).toBe("FEED_SHAPE");
    expect(e.message).toMatch(/"l\/h" has shape \[2, 2, 2\], expected \[1, batch, 2\]/);
  });
});
