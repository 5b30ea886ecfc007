import { describe, expect, test } from "vitest";
import type { TrainBatch } from "../backend/backend.js";
import { concat, dense, graph, input, lstm, sequential } from "../ir/builders.js";
import { assertValid } from "../ir/validate.js";
import { type IntTensor, tensor } from "../tensor/tensor.js";
import { checkTrainBatch } from "./check-batch.js";
import type { LossConfig } from "./config.js";

const model = assertValid(sequential("m", [input("x", 2), lstm("l", { units: 4 }), dense("out", { units: 3 })]));
const mse: LossConfig = { kind: "mse" };
const ce: LossConfig = { kind: "softmaxCrossEntropy" };
const T = 4;
const B = 2;

function batch({ target, ...feeds }: Partial<{ x: unknown; lengths: unknown; target: unknown }> = {}): TrainBatch {
  return {
    inputs: { x: tensor([T, B, 2]), lengths: Int32Array.of(T, 2), ...feeds } as TrainBatch["inputs"],
    target: (target ?? tensor([T, B, 3])) as TrainBatch["target"],
  };
}

function labels(shape: readonly number[], values: readonly number[]): IntTensor {
  return { shape, data: Int32Array.from(values) };
}

describe("checkTrainBatch", () => {
  test("accepts a well-formed batch and reports the time axis", () => {
    expect(checkTrainBatch(model, batch(), mse, "out", false)).toEqual({ T });
    expect(
      checkTrainBatch(model, batch({ target: labels([T, B], [0, 1, 2, 0, 1, 2, 0, 1]) }), ce, "out", true),
    ).toEqual({
      T,
    });
  });

  test("T is undefined when no sequence input is fed (the engine reports the missing feed)", () => {
    expect(checkTrainBatch(model, { inputs: {}, target: tensor([T, B, 3]) }, mse, "out", false)).toEqual({
      T: undefined,
    });
  });

  test("a batch that is not { inputs, target } is MISSING_FEED", () => {
    for (const bad of [null, 3, { target: tensor([1]) }, { inputs: null }]) {
      expect(() => checkTrainBatch(model, bad as unknown as TrainBatch, mse, "out", false)).toThrow(
        expect.objectContaining({ code: "MISSING_FEED", message: "batch: expected { inputs, target }" }),
      );
    }
  });

  test("a NaN in a feed is NON_FINITE naming the feed and its [t, b, d] position; padded frames may hold one", () => {
    const x = tensor([T, B, 2]);
    x.data[2 * B * 2 + 1 * 2 + 1] = Number.NaN; // t=2, b=1, d=1: padded (sample 1 has 2 steps), ignored
    expect(checkTrainBatch(model, batch({ x }), mse, "out", false)).toEqual({ T });
    x.data[1 * B * 2 + 1 * 2 + 1] = Number.NaN; // t=1, b=1, d=1: valid
    const check = () => checkTrainBatch(model, batch({ x }), mse, "out", false);
    expect(check).toThrow(/^feed "x": value NaN at \[1, 1, 1\] is not finite$/);
    expect(check).toThrow(expect.objectContaining({ name: "BackendError", code: "NON_FINITE" }));
  });

  test("a non-finite float target is NON_FINITE naming the target", () => {
    const target = tensor([T, B, 3]);
    target.data[T * B * 3 - 1] = Number.NEGATIVE_INFINITY;
    const check = () => checkTrainBatch(model, batch({ target }), mse, "out", false);
    expect(check).toThrow(/^target: value -Infinity at \[3, 1, 2\] is not finite$/);
    expect(check).toThrow(expect.objectContaining({ code: "NON_FINITE" }));
  });

  test("the target shape is resolved from the input feeds' symbols (FEED_SHAPE)", () => {
    const check = () => checkTrainBatch(model, batch({ target: tensor([T, 3, 3]) }), mse, "out", false);
    expect(check).toThrow(/target: expected \[4, 2, 3\] for loss mse on output "out", got \[4, 3, 3\]/);
    expect(check).toThrow(/hint: the target is shaped like the output/);
    expect(check).toThrow(expect.objectContaining({ code: "FEED_SHAPE" }));
  });

  test("a target whose data does not fill its shape is FEED_SHAPE and says how many values it holds", () => {
    const short = { shape: [T, B, 3], data: new Float32Array(5) };
    expect(() => checkTrainBatch(model, batch({ target: short }), mse, "out", false)).toThrow(
      /got \[4, 2, 3\] holding 5 values/,
    );
  });

  test("the target's type must match the loss", () => {
    expect(() =>
      checkTrainBatch(model, batch({ target: labels([T, B], new Array(8).fill(0)) }), mse, "out", false),
    ).toThrow(/target: expected a float32 tensor \[4, 2, 3\] for loss mse on output "out", got Int32Array \[4, 2\]/);
    expect(() => checkTrainBatch(model, batch(), ce, "out", false)).toThrow(
      /target: expected int32 labels \[4, 2\] for loss softmaxCrossEntropy .* got Float32Array \[4, 2, 3\]/,
    );
    expect(() => checkTrainBatch(model, batch({ target: "y" }), mse, "out", false)).toThrow(/got string/);
  });

  test("cross-entropy labels must lie in 0..classes-1", () => {
    for (const [label, at] of [
      [3, "[1, 0]"],
      [-1, "[1, 0]"],
    ] as const) {
      const target = labels([T, B], [0, 0, label, 0, 0, 0, 0, 0]);
      const check = () => checkTrainBatch(model, batch({ target }), ce, "out", false);
      expect(check).toThrow(`target: label ${label} at ${at} is outside 0..2 (output "out" has 3 classes)`);
      expect(check).toThrow(expect.objectContaining({ code: "FEED_SHAPE" }));
    }
  });

  test("lengths outside 0..T are BAD_LENGTHS when truncating, and left to the engine otherwise", () => {
    const b = batch({ lengths: Int32Array.of(2, T + 1) });
    expect(() => checkTrainBatch(model, b, mse, "out", false)).not.toThrow();
    const check = () => checkTrainBatch(model, b, mse, "out", true);
    expect(check).toThrow('feed "lengths": length 5 of sample 1 is outside 0..4 (input "x")');
    expect(check).toThrow(expect.objectContaining({ code: "BAD_LENGTHS" }));
  });

  test("truncating needs every sequence input on one time axis", () => {
    const two = assertValid(
      graph(
        "two",
        [
          input("a", 1, { lengths: "la", time: "ta" }),
          input("b", 1, { lengths: "lb", time: "tb" }),
          lstm("la_", { units: 2 }, "a"),
          lstm("lb_", { units: 2 }, "b"),
        ],
        ["la_", "lb_"],
      ),
    );
    const b: TrainBatch = {
      inputs: { a: tensor([3, 1, 1]), la: Int32Array.of(3), b: tensor([5, 1, 1]), lb: Int32Array.of(5) },
      target: tensor([3, 1, 2]),
    };
    expect(checkTrainBatch(two, b, mse, "la_", false)).toEqual({ T: 3 });
    const check = () => checkTrainBatch(two, b, mse, "la_", true);
    expect(check).toThrow(/feed "b": has 5 steps but another sequence input has 3; truncated BPTT needs one time axis/);
    expect(check).toThrow(expect.objectContaining({ code: "FEED_SHAPE", nodeId: "b" }));
  });

  test("symbols are bound from every input feed (two inputs concatenated on one axis)", () => {
    const joined = assertValid(
      graph("j", [input("a", 1), input("b", 2), concat("ab", "a", "b"), dense("o", { units: 1 }, "ab")], ["o"]),
    );
    const b: TrainBatch = {
      inputs: { a: tensor([2, 3, 1]), b: tensor([2, 3, 2]), lengths: Int32Array.of(2, 2, 1) },
      target: tensor([2, 3, 2]),
    };
    expect(() => checkTrainBatch(joined, b, mse, "o", false)).toThrow(/expected \[2, 3, 1\]/);
  });
});
