import { describe, expect, test } from "vitest";
import { type Tensor, tensor } from "../tensor/tensor.js";
import type { Weights } from "../weights/weights.js";
import { conv1d, dense, graph, input, lstm, rnn, sequential } from "./builders.js";
import { IrError, type Issue, type IssueCode } from "./errors.js";
import { assertValid, validate } from "./validate.js";

/** input 40 → lstm_1 (128 units) → out (dense 10, no bias). */
const speech = () =>
  sequential("speech-lstm", [
    input("frames", 40),
    lstm("lstm_1", { units: 128 }),
    dense("out", { units: 10, useBias: false }),
  ]);

/** Zero weights with the shapes PyTorch's nn.LSTM(40, 128) and nn.Linear(128, 10, bias=False) have. */
function speechWeights(): Record<string, Tensor> {
  return {
    "lstm_1/weight_ih": tensor([512, 40]),
    "lstm_1/weight_hh": tensor([512, 128]),
    "lstm_1/bias_ih": tensor([512]),
    "lstm_1/bias_hh": tensor([512]),
    "out/weight": tensor([10, 128]),
  };
}

function only(weights: unknown, code: IssueCode): Issue {
  const issues = validate(speech(), weights as Weights);
  expect(issues.map((i) => i.code)).toEqual([code]);
  return issues[0] as Issue;
}

describe("weights", () => {
  test("complete weights of the right shapes pass", () => {
    expect(validate(speech(), speechWeights())).toEqual([]);
    expect(assertValid(speech(), speechWeights()).name).toBe("speech-lstm");
  });

  test("WEIGHT_SHAPE shows both shapes and the formula", () => {
    const issue = only({ ...speechWeights(), "lstm_1/weight_ih": tensor([512, 39]) }, "WEIGHT_SHAPE");
    expect(issue.nodeId).toBe("lstm_1");
    expect(issue.message).toBe('weight "weight_ih" is [512, 39], expected [512, 40] = [4·units, inFeatures]');
  });

  test("WEIGHT_SHAPE in the thrown message, with the node's line in the excerpt", () => {
    expect(() => assertValid(speech(), { ...speechWeights(), "out/weight": tensor([128, 10]) })).toThrowError(
      /WEIGHT_SHAPE at node "out" \(dense\): weight "weight" is \[128, 10\], expected \[10, 128\] = \[units, inFeatures\][\s\S]*> 2 \| out/,
    );
  });

  test("WEIGHT_SHAPE for a non-tensor or data of the wrong length", () => {
    expect(only({ ...speechWeights(), "out/weight": [1, 2] }, "WEIGHT_SHAPE").message).toMatch(/expected a tensor/);
    const short = { shape: [10, 128], data: new Float32Array(5) };
    expect(only({ ...speechWeights(), "out/weight": short }, "WEIGHT_SHAPE").message).toMatch(
      /has 5 values.*needs 1280/,
    );
  });

  test("WEIGHT_MISSING names the key and the shape", () => {
    const { "lstm_1/bias_hh": _, ...rest } = speechWeights();
    const issue = only(rest, "WEIGHT_MISSING");
    expect(issue.nodeId).toBe("lstm_1");
    expect(issue.message).toMatch(/key "lstm_1\/bias_hh"\) is missing; expected \[512\]/);
  });

  test("WEIGHT_UNEXPECTED lists the node's expected keys", () => {
    const issue = only({ ...speechWeights(), "out/bias": tensor([10]) }, "WEIGHT_UNEXPECTED");
    expect(issue.nodeId).toBe("out");
    expect(issue.message).toMatch(/"out\/bias" is not a parameter/);
    expect(issue.hint).toBe("expected keys: out/weight");
  });

  test("WEIGHT_UNEXPECTED for a key of no node suggests the closest node", () => {
    const issue = only({ ...speechWeights(), "lstm1/weight_ih": tensor([512, 40]) }, "WEIGHT_UNEXPECTED");
    expect(issue.nodeId).toBeUndefined();
    expect(issue.hint).toMatch(/did you mean node "lstm_1"/);
  });

  test("WEIGHT_NOT_FINITE names the key and the first bad index", () => {
    const w = speechWeights();
    const data = new Float32Array(512);
    data[7] = Number.NaN;
    data[9] = Number.POSITIVE_INFINITY;
    const issue = only({ ...w, "lstm_1/bias_ih": { shape: [512], data } }, "WEIGHT_NOT_FINITE");
    expect(issue.message).toBe('weight "bias_ih" holds NaN at index 7 (of 512)');
  });

  test("a weights argument that is not an object", () => {
    expect(validate(speech(), 5 as never).map((i) => i.code)).toEqual(["BAD_GRAPH"]);
  });

  test("bidirectional layers expect _reverse weights unless tied; conv1d weight [filters, in, kernel]", () => {
    const g = graph(
      "g",
      [
        input("x", 3),
        rnn("bi", { cell: "gru", units: 2, direction: "bidirectional" }, "x"),
        rnn("tied", { cell: "simple", units: 2, direction: "bidirectional", tiedDirections: true }, "x"),
        conv1d("c", { filters: 5, kernelSize: 3 }, "x"),
      ],
      ["bi", "tied", "c"],
    );
    const keys = validate(g, {})
      .filter((i) => i.code === "WEIGHT_MISSING")
      .map((i) => i.message.match(/key "([^"]+)"/)?.[1]);
    expect(keys).toEqual([
      ...["weight_ih", "weight_hh", "bias_ih", "bias_hh"].map((p) => `bi/${p}`),
      ...["weight_ih", "weight_hh", "bias_ih", "bias_hh"].map((p) => `bi/${p}_reverse`),
      ...["weight_ih", "weight_hh", "bias_ih", "bias_hh"].map((p) => `tied/${p}`),
      "c/weight",
      "c/bias",
    ]);
    const conv = validate(g, { "c/weight": tensor([5, 3, 2]) }).find(
      (i) => i.nodeId === "c" && i.code === "WEIGHT_SHAPE",
    );
    expect(conv?.message).toMatch(/expected \[5, 3, 3\] = \[filters, inFeatures, kernelSize\]/);
  });

  test("weights of a node that could not be checked are left alone", () => {
    const g = sequential("g", [input("x", 3), dense("d", { units: 0 })]);
    const issues = validate(g, { "d/weight": tensor([1, 3]) });
    expect(issues.map((i) => i.code)).toEqual(["BAD_OPTION"]);
  });

  test("IrError from assertValid carries the weight issues", () => {
    try {
      assertValid(speech(), {});
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(IrError);
      expect((e as IrError).issues.filter((i) => i.code === "WEIGHT_MISSING")).toHaveLength(5);
    }
  });
});
