/**
 * mseCountOf: the whole batch's MSE normaliser read from the feeds (counted by hand here), and undefined
 * wherever the shards could not know it before their forward (another loss, an output on a derived time axis).
 */
import {
  assertValid,
  conv1d,
  dense,
  feedPlan,
  input,
  type LossConfig,
  lastStep,
  rnn,
  sequential,
  type TrainBatch,
  tensor,
  type ValidModel,
} from "@recurrent/core";
import { describe, expect, test } from "vitest";
import { mseCountOf } from "./shard-loss.js";

const mse: LossConfig = { kind: "mse" };

function batch(T: number, B: number, D: number, lengths?: Int32Array): TrainBatch {
  const x = tensor([T, B, D], new Float32Array(T * B * D));
  return { inputs: lengths === undefined ? { x } : { x, lengths }, target: tensor([1], [0]) };
}

const count = (model: ValidModel, b: TrainBatch, loss: LossConfig = mse) =>
  mseCountOf(model, feedPlan(model), b, loss, "out");

describe("mseCountOf", () => {
  test("[T, B, F] output: the valid frames are the fed lengths summed (3 + 0 + 5), the features its last dim", () => {
    const model = assertValid(
      sequential("m", [input("x", 2), rnn("r", { cell: "simple", units: 3 }), dense("out", { units: 4 })]),
    );
    expect(count(model, batch(5, 3, 2, Int32Array.from([3, 0, 5])))).toEqual({ frames: 8, features: 4 });
  });

  test("no lengths feed: every step of every sample (T · B)", () => {
    const model = assertValid(sequential("m", [input("x", 2, { lengths: false }), dense("out", { units: 4 })]));
    expect(count(model, batch(5, 3, 2))).toEqual({ frames: 15, features: 4 });
  });

  test("[B, F] output (last step): one frame per sample", () => {
    const model = assertValid(
      sequential("m", [
        input("x", 2),
        rnn("r", { cell: "gru", units: 3 }),
        lastStep("last"),
        dense("out", { units: 4 }),
      ]),
    );
    expect(count(model, batch(5, 3, 2, Int32Array.from([1, 2, 3])))).toEqual({ frames: 3, features: 4 });
  });

  test("undefined for another loss, and for an output on a derived time axis (a strided convolution)", () => {
    const model = assertValid(sequential("m", [input("x", 2), dense("out", { units: 4 })]));
    const b = batch(5, 3, 2, Int32Array.from([5, 5, 5]));
    expect(count(model, b, { kind: "binaryCrossEntropy" })).toBeUndefined();
    const strided = assertValid(
      sequential("m", [
        input("x", 2, { lengths: false, time: 8 }),
        conv1d("out", { filters: 4, kernelSize: 2, stride: 2, padding: "valid" }),
      ]),
    );
    expect(count(strided, batch(8, 3, 2))).toBeUndefined();
  });
});
