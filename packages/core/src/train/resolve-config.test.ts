import { describe, expect, test } from "vitest";
import { dense, graph, input, lstm, sequential } from "../ir/builders.js";
import { assertValid } from "../ir/validate.js";
import type { TrainConfig } from "./config.js";
import { resolveTrainConfig } from "./resolve-config.js";

const model = assertValid(
  graph(
    "two-heads",
    [input("x", 2), lstm("l", { units: 3 }, "x"), dense("reg", { units: 2 }, "l"), dense("cls", { units: 4 }, "l")],
    ["reg", "cls"],
  ),
);
const base: TrainConfig = { loss: "mse", optimizer: { kind: "adam", lr: 1e-3 } };

/** Passes any value as a config: the checks exist for callers in plain JS or with configs read from JSON. */
function check(config: unknown) {
  return () => resolveTrainConfig(model, config as TrainConfig);
}

describe("resolveTrainConfig", () => {
  test("fills defaults: first graph output, seed 0, loss as an object", () => {
    expect(resolveTrainConfig(model, base)).toEqual({
      loss: { kind: "mse" },
      optimizer: { kind: "adam", lr: 1e-3 },
      clipNorm: undefined,
      clipValue: undefined,
      output: "reg",
      truncateSteps: undefined,
      seed: 0,
      frozen: new Set(),
    });
  });

  test.each([
    ["unknown top-level key", { ...base, clipnorm: 1 }, /unknown key clipnorm/],
    [
      "unknown optimizer key",
      { ...base, optimizer: { kind: "adam", lr: 1, betas: [0.9, 0.99] } },
      /unknown key optimizer\.betas/,
    ],
    [
      "key of another optimizer",
      { ...base, optimizer: { kind: "sgd", lr: 1, beta1: 0.9 } },
      /unknown key optimizer\.beta1/,
    ],
    [
      "unknown optimizer kind",
      { ...base, optimizer: { kind: "adagrad", lr: 1 } },
      /optimizer\.kind must be one of "sgd", "rmsprop", "adam", got "adagrad"/,
    ],
    ["missing lr", { ...base, optimizer: { kind: "sgd" } }, /optimizer\.lr must be a finite number > 0, got undefined/],
    ["lr 0", { ...base, optimizer: { kind: "sgd", lr: 0 } }, /optimizer\.lr must be a finite number > 0, got 0/],
    ["negative lr", { ...base, optimizer: { kind: "rmsprop", lr: -0.1 } }, /optimizer\.lr .* got -0\.1/],
    ["NaN lr", { ...base, optimizer: { kind: "adam", lr: Number.NaN } }, /optimizer\.lr .* got NaN/],
    [
      "infinite lr",
      { ...base, optimizer: { kind: "adam", lr: Number.POSITIVE_INFINITY } },
      /optimizer\.lr .* got Infinity/,
    ],
    [
      "beta1 of 1",
      { ...base, optimizer: { kind: "adam", lr: 1, beta1: 1 } },
      /optimizer\.beta1 must be a number in \[0, 1\)/,
    ],
    [
      "negative weight decay",
      { ...base, optimizer: { kind: "sgd", lr: 1, weightDecay: -1 } },
      /optimizer\.weightDecay/,
    ],
    ["negative momentum", { ...base, optimizer: { kind: "rmsprop", lr: 1, momentum: -0.5 } }, /optimizer\.momentum/],
    [
      "nesterov without momentum",
      { ...base, optimizer: { kind: "sgd", lr: 1, nesterov: true } },
      /optimizer\.momentum must be > 0 when nesterov/,
    ],
    ["clipNorm 0", { ...base, clipNorm: 0 }, /clipNorm must be a finite number > 0, got 0/],
    ["negative clipNorm", { ...base, clipNorm: -1 }, /clipNorm .* got -1/],
    ["clipValue NaN", { ...base, clipValue: Number.NaN }, /clipValue .* got NaN/],
    [
      "output not a graph output",
      { ...base, output: "l" },
      /output must be one of the graph outputs \("reg", "cls"\), got "l"/,
    ],
    [
      "unknown loss",
      { ...base, loss: "mae" },
      /loss\.kind must be one of "mse", "softmaxCrossEntropy", "binaryCrossEntropy", got "mae"/,
    ],
    ["unknown loss key", { ...base, loss: { kind: "mse", reduction: "sum" } }, /unknown key loss\.reduction/],
    [
      "class weights on mse",
      { ...base, loss: { kind: "mse", classWeights: [1, 1] } },
      /loss\.classWeights must be absent/,
    ],
    [
      "class weights of the wrong count",
      { ...base, output: "cls", loss: { kind: "softmaxCrossEntropy", classWeights: [1, 2] } },
      /loss\.classWeights must be 4 weights \(one per class of output "cls"\)/,
    ],
    ["truncateSteps 0", { ...base, truncateSteps: 0 }, /truncateSteps must be an integer >= 1, got 0/],
    ["fractional truncateSteps", { ...base, truncateSteps: 2.5 }, /truncateSteps must be an integer >= 1/],
    ["non-finite seed", { ...base, seed: Number.NaN }, /seed must be a finite number/],
  ])("rejects %s with BAD_CONFIG naming the field", (_name, config, message) => {
    expect(check(config)).toThrow(message);
    expect(check(config)).toThrow(expect.objectContaining({ name: "BackendError", code: "BAD_CONFIG" }));
  });

  test("accepts every optimizer with its PyTorch hyper-parameters", () => {
    for (const optimizer of [
      { kind: "sgd", lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-4 },
      { kind: "rmsprop", lr: 0.01, rho: 0.9, eps: 1e-6, momentum: 0.5, weightDecay: 0 },
      { kind: "adam", lr: 1e-3, beta1: 0.8, beta2: 0.99, eps: 1e-7, weightDecay: 1e-2 },
    ] as const) {
      expect(resolveTrainConfig(model, { ...base, optimizer }).optimizer).toEqual(optimizer);
    }
  });

  test("truncateSteps is checked against the model", () => {
    const pooled = assertValid(
      sequential("m", [input("x", 2), lstm("l", { units: 3, returnSequences: false }), dense("o", { units: 1 })]),
    );
    expect(() => resolveTrainConfig(pooled, { ...base, truncateSteps: 4 })).toThrow(
      /truncateSteps cannot apply to this model: node "l" \(rnn\) returns only its last step/,
    );
    expect(resolveTrainConfig(model, { ...base, truncateSteps: 4 }).truncateSteps).toBe(4);
  });
});
