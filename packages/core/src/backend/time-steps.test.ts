import { describe, expect, test } from "vitest";
import { conv1d, input, pad, sequential } from "../ir/builders.js";
import { assertValid } from "../ir/validate.js";
import { bindDerivedTimes } from "./time-steps.js";

const model = assertValid(
  sequential("front", [
    input("x", 1, { lengths: false }),
    pad("pad", { after: 4, mode: "reflect" }),
    conv1d("stft", { filters: 2, kernelSize: 8, stride: 4, padding: "valid" }),
    conv1d("down", { filters: 2, kernelSize: 3, stride: 2 }),
  ]),
);

describe("bindDerivedTimes", () => {
  test("sizes every derived axis by PyTorch's formulas: 20 → 24 → floor((24−8)/4)+1 = 5 → floor((5+2−3)/2)+1 = 3", () => {
    const bound = bindDerivedTimes(
      model,
      new Map([
        ["time", 20],
        ["batch", 2],
      ]),
    );
    expect(Object.fromEntries(bound)).toEqual({ time: 20, batch: 2, "pad.time": 24, "stft.time": 5, "down.time": 3 });
  });

  test("an input too short for a reflect pad or a conv's field: FEED_SHAPE naming the node, its input and both counts", () => {
    expect(() => bindDerivedTimes(model, new Map([["time", 4]]))).toThrow(
      'pad "pad" needs at least 5 input steps (a reflect pad of 4 frames mirrors that many frames besides the edge), its input "x" has 4',
    );
    // 5 steps pass the pad (→ 9) and then the STFT's 8-frame field fits once; 2 steps fail the pad first.
    expect(bindDerivedTimes(model, new Map([["time", 5]])).get("stft.time")).toBe(1);
    const conv = assertValid(
      sequential("c", [
        input("x", 1, { lengths: false }),
        conv1d("stft", { filters: 1, kernelSize: 8, stride: 4, padding: "valid" }),
      ]),
    );
    expect(() => bindDerivedTimes(conv, new Map([["time", 7]]))).toThrow(
      expect.objectContaining({
        code: "FEED_SHAPE",
        message: 'conv1d "stft" needs at least 8 input steps (its receptive field after padding), its input "x" has 7',
      }),
    );
  });

  test("an unfed axis stays unbound", () => {
    expect(bindDerivedTimes(model, new Map()).size).toBe(0);
  });
});
