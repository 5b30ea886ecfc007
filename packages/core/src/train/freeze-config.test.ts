import { describe, expect, test } from "vitest";
import { dense, graph, input, lstm } from "../ir/builders.js";
import { assertValid } from "../ir/validate.js";
import type { TrainConfig } from "./config.js";
import { resolveTrainConfig } from "./resolve-config.js";

const model = assertValid(
  graph(
    "decoder",
    [input("x", 2), lstm("lstm", { units: 3 }, "x"), dense("out", { units: 1, activation: "sigmoid" }, "lstm")],
    ["out"],
  ),
);
const base: TrainConfig = { loss: "binaryCrossEntropy", optimizer: { kind: "adam", lr: 5e-4 } };
const resolve = (extra: Record<string, unknown>) => () =>
  resolveTrainConfig(model, { ...base, ...extra } as TrainConfig);

describe("freeze", () => {
  test("node ids expand to every parameter of the node; weight keys name one", () => {
    expect([...resolve({ freeze: ["lstm"] })().frozen].sort()).toEqual([
      "lstm/bias_hh",
      "lstm/bias_ih",
      "lstm/weight_hh",
      "lstm/weight_ih",
    ]);
    expect([...resolve({ freeze: ["out/bias", "lstm/weight_hh"] })().frozen].sort()).toEqual([
      "lstm/weight_hh",
      "out/bias",
    ]);
  });

  test("a typo, a node without parameters, everything frozen, a non-list: BAD_CONFIG naming the entry", () => {
    expect(resolve({ freeze: ["lstn"] })).toThrow(/freeze .*"lstn".*did you mean "lstm"/);
    expect(resolve({ freeze: ["x"] })).toThrow(/node "x" has no parameters/);
    expect(resolve({ freeze: ["lstm", "out"] })).toThrow(/leaves at least one weight to train.*all 6 weights/);
    expect(resolve({ freeze: "lstm" })).toThrow(/freeze must be a list/);
  });
});

describe("binaryCrossEntropy config", () => {
  test("classWeights [w0, w1] and fromLogits are accepted; the wrong count and foreign keys are refused", () => {
    const loss = { kind: "binaryCrossEntropy", classWeights: [0.5, 1], fromLogits: true };
    expect(resolve({ loss })().loss).toEqual(loss);
    expect(resolve({ loss: { kind: "binaryCrossEntropy", classWeights: [1, 2, 3] } })).toThrow(/\[w0, w1\]/);
    expect(resolve({ loss: { kind: "mse", fromLogits: true } })).toThrow(/fromLogits must be absent for a mse loss/);
    expect(resolve({ loss: { kind: "binaryCrossEntropy", fromLogits: 1 } })).toThrow(
      /fromLogits must be true or false/,
    );
  });
});
