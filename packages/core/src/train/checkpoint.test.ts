import { describe, expect, test } from "vitest";
import { decodeSafetensors, encodeSafetensors } from "../io/safetensors.js";
import { CHECKPOINT_FORMAT, type Checkpoint, decodeCheckpoint, encodeCheckpoint } from "./checkpoint.js";

const t = (shape: number[], values: number[]) => ({ shape, data: Float32Array.from(values) });

const checkpoint: Checkpoint = {
  weights: { "rnn/weight_ih": t([2, 1], [0.5, -1.25]), "out/bias": t([1], [3]) },
  optimizer: { step: 17, slots: { "adam.m/rnn/weight_ih": t([2, 1], [1e-3, 2e-3]), "adam.v/out/bias": t([1], [4]) } },
  position: { epoch: 2, batch: 3, step: 17, seed: 42, lossSum: 1.5, examples: 12, seconds: 0.25 },
  history: [
    { epoch: 0, trainLoss: 0.9, valLoss: 1.1, lr: 0.01, seconds: 1.5 },
    { epoch: 1, trainLoss: 0.7, valLoss: null, lr: null, seconds: 1.25 },
  ],
  fingerprint: '{"seed":42}',
};

describe("checkpoint encoding", () => {
  test("round-trips every field", () => {
    expect(decodeCheckpoint(encodeCheckpoint(checkpoint))).toEqual(checkpoint);
    const withBest = { ...checkpoint, best: { epoch: 1, weights: { "out/bias": t([1], [2]) } } };
    expect(decodeCheckpoint(encodeCheckpoint(withBest))).toEqual(withBest);
  });

  test("is a safetensors file: weights as w/<key>, slots as opt/<slot>, JSON metadata with the format", () => {
    const { tensors, metadata } = decodeSafetensors(encodeCheckpoint(checkpoint));
    expect(Object.keys(tensors).sort()).toEqual([
      "opt/adam.m/rnn/weight_ih",
      "opt/adam.v/out/bias",
      "w/out/bias",
      "w/rnn/weight_ih",
    ]);
    expect(metadata["recurrent.checkpoint"]).toBe(CHECKPOINT_FORMAT);
    expect(JSON.parse(metadata.position!)).toEqual(checkpoint.position);
    expect(metadata["optimizer.step"]).toBe("17");
  });

  test("non-finite numbers cannot be saved", () => {
    const bad = { ...checkpoint, history: [{ ...checkpoint.history[0]!, trainLoss: Number.NaN }] };
    expect(() => encodeCheckpoint(bad)).toThrow(/"trainLoss" is NaN/);
  });
});

describe("checkpoint decoding refuses what is not a checkpoint", () => {
  const metadataOf = (bytes: Uint8Array) => decodeSafetensors(bytes).metadata;
  const rewrite = (change: (m: Record<string, string>) => void) => {
    const m = { ...metadataOf(encodeCheckpoint(checkpoint)) };
    change(m);
    return encodeSafetensors({ "w/a": t([1], [1]) }, m);
  };

  test.each([
    ["garbage bytes", Uint8Array.of(1, 2, 3), /not a valid safetensors file \(TRUNCATED/],
    [
      "a model file",
      encodeSafetensors({ "dense/weight": t([1], [1]) }, { "recurrent.format": "x" }),
      /no "recurrent.checkpoint" key/,
    ],
    [
      "another format version",
      rewrite((m) => (m["recurrent.checkpoint"] = "recurrent.checkpoint/9")),
      /format is "recurrent.checkpoint\/9", expected "recurrent.checkpoint\/1"/,
    ],
    [
      "a bad position",
      rewrite((m) => (m.position = JSON.stringify({ ...checkpoint.position, batch: -1 }))),
      /position.batch must be a non-negative integer, found -1/,
    ],
    ["a non-JSON history", rewrite((m) => (m.history = "[{")), /"history" is not JSON/],
    [
      "a history entry without trainLoss",
      rewrite((m) => (m.history = '[{"epoch":0}]')),
      /history\[0\].trainLoss must be a finite number/,
    ],
    ["no optimizer step", rewrite((m) => delete m["optimizer.step"]), /optimizer.step must be a non-negative integer/],
    [
      "an unknown tensor prefix",
      encodeSafetensors({ "x/y": t([1], [1]) }, metadataOf(encodeCheckpoint(checkpoint))),
      /tensor "x\/y" has none of the prefixes/,
    ],
  ])("%s", (_, bytes, message) => {
    expect(() => decodeCheckpoint(bytes)).toThrow(message);
    expect(() => decodeCheckpoint(bytes)).toThrow(expect.objectContaining({ code: "BAD_CHECKPOINT" }));
  });
});
