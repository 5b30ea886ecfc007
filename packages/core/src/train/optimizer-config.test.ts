import { describe, expect, test } from "vitest";
import type { OptimizerState } from "../backend/backend.js";
import { checkOptimizerState, resolveOptimizer } from "./optimizer-config.js";

describe("resolveOptimizer", () => {
  // The defaults of torch.optim 1.13's SGD, RMSprop (alpha) and Adam (betas), from its documentation.
  test.each([
    [
      { kind: "sgd", lr: 0.1 },
      { kind: "sgd", lr: 0.1, momentum: 0, nesterov: false, weightDecay: 0 },
    ],
    [
      { kind: "rmsprop", lr: 0.01 },
      { kind: "rmsprop", lr: 0.01, rho: 0.99, eps: 1e-8, momentum: 0, weightDecay: 0 },
    ],
    [
      { kind: "adam", lr: 1e-3 },
      { kind: "adam", lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
    ],
  ] as const)("fills PyTorch's defaults for %o", (config, resolved) => {
    expect(resolveOptimizer(config)).toEqual(resolved);
  });

  test("keeps every hyper-parameter that is given", () => {
    for (const config of [
      { kind: "sgd", lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-4 },
      { kind: "rmsprop", lr: 0.01, rho: 0.9, eps: 1e-6, momentum: 0.5, weightDecay: 0.1 },
      { kind: "adam", lr: 1e-3, beta1: 0.8, beta2: 0.99, eps: 1e-7, weightDecay: 1e-2 },
    ] as const) {
      expect(resolveOptimizer(config)).toEqual(config);
    }
  });
});

describe("checkOptimizerState", () => {
  const shapes = new Map<string, readonly number[]>([
    ["l/kernel", [2, 3]],
    ["l/bias", [4]],
  ]);
  const prefixes = ["adam.m", "adam.v"];
  const slot = (shape: readonly number[]) => ({ shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) });
  const good: OptimizerState = {
    step: 2,
    slots: {
      "adam.m/l/kernel": slot([2, 3]),
      "adam.v/l/kernel": slot([2, 3]),
      "adam.m/l/bias": slot([4]),
      "adam.v/l/bias": slot([4]),
    },
  };
  const check = (state: OptimizerState) => () => checkOptimizerState("adam", prefixes, shapes, state);

  test("accepts a state with one slot per (prefix, weight)", () => {
    expect(check(good)).not.toThrow();
    expect(() => checkOptimizerState("sgd", [], shapes, { step: 0, slots: {} })).not.toThrow();
  });

  test.each([
    ["a negative step", { ...good, step: -1 }, /step must be an integer >= 0, got -1/],
    ["a fractional step", { ...good, step: 1.5 }, /step must be an integer >= 0, got 1.5/],
    [
      "a missing slot",
      { ...good, slots: Object.fromEntries(Object.entries(good.slots).filter(([k]) => k !== "adam.v/l/bias")) },
      /slot "adam.v\/l\/bias" is missing \(adam keeps adam.m, adam.v per weight\); hint: restore a state saved/,
    ],
    [
      "a misshaped slot",
      { ...good, slots: { ...good.slots, "adam.m/l/bias": slot([5]) } },
      /slot "adam.m\/l\/bias" is \[5\], expected \[4\] like its weight/,
    ],
    [
      "a slot whose data does not fill its shape",
      { ...good, slots: { ...good.slots, "adam.m/l/kernel": { shape: [2, 3], data: new Float32Array(5) } } },
      /slot "adam.m\/l\/kernel" is \[2, 3\], expected \[2, 3\]/,
    ],
    [
      "an unknown slot",
      { ...good, slots: { ...good.slots, "sgd.momentum/l/bias": slot([4]) } },
      /unknown slot\(s\) "sgd.momentum\/l\/bias" for a adam optimizer over this model; hint: the state comes/,
    ],
  ])("refuses %s with BAD_CONFIG", (_name, state, message) => {
    expect(check(state as OptimizerState)).toThrow(message);
    expect(check(state as OptimizerState)).toThrow(
      expect.objectContaining({ name: "BackendError", code: "BAD_CONFIG" }),
    );
  });

  test("an optimizer without slots names that in the message", () => {
    expect(() => checkOptimizerState("sgd", [], shapes, good)).toThrow(/unknown slot\(s\) "adam.m\/l\/kernel"/);
    expect(() => checkOptimizerState("sgd", ["sgd.momentum"], shapes, { step: 0, slots: {} })).toThrow(
      /slot "sgd.momentum\/l\/kernel" is missing \(sgd keeps sgd.momentum per weight\)/,
    );
  });
});
