import { BackendError, type Feeds, fullLengths, graph, input, lstm, sequential, stateInput } from "@recurrent/core";
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

// The checks themselves are core's `checkModelFeeds` (tested in core); these make sure `run` goes through them.
describe("feed validation", () => {
  test("MISSING_FEED names the input and its expected shape", async () => {
    const e = await runError({});
    expect(e.code).toBe("MISSING_FEED");
    expect(e.message).toMatch(/"x".*\[time, batch, 3\]/);
  });

  test("BAD_LENGTHS for a lengths value out of range", async () => {
    expect((await runError({ x, lengths: new Int32Array([4, 5]) })).message).toMatch(
      /sample 1 has length 5, expected 0\.\.4/,
    );
  });

  test("UNKNOWN_FEED for a state key whose state input is wired; the unwired one is fed", async () => {
    const g = graph("wired", [input("x", 3), stateInput("h0", 2), lstm("l", { units: 2 }, "x", "h0")], ["l"]);
    const m = modelOf(g);
    const h0 = randomTensor([1, 2, 2], 2);
    const lengths = fullLengths(x);
    const e = await runError({ x, lengths, h0, "l/h": h0 }, m.model, m.weights);
    expect(e.code).toBe("UNKNOWN_FEED");
    expect(e.message).toMatch(/wired/);
    const exe = await jsBackend().compile(m.model, m.weights);
    await expect(exe.run({ x, lengths, h0, "l/c": h0 })).resolves.toBeDefined();
  });
});
