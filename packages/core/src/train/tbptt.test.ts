import { describe, expect, test } from "vitest";
import {
  conv1d,
  dense,
  dropout,
  frameStack,
  graph,
  input,
  lastStep,
  lstm,
  pool,
  repeat,
  rnn,
  sequential,
  stateInput,
  vectorInput,
} from "../ir/builders.js";
import { assertValid } from "../ir/validate.js";
import { tensor } from "../tensor/tensor.js";
import { checkTruncatable, chunkTrainBatch, trainChunkWeight } from "./tbptt.js";

const ok = assertValid(
  sequential("ok", [
    input("x", 2),
    lstm("l", { units: 3 }),
    dropout("d", 0.1),
    conv1d("c", { filters: 2, kernelSize: 1 }),
    dense("out", { units: 2 }),
  ]),
);

describe("checkTruncatable", () => {
  test("accepts a causal frame-by-frame model", () => {
    expect(() => checkTruncatable(ok, "out")).not.toThrow();
  });

  const refused: [string, ReturnType<typeof assertValid>, string, RegExp][] = [
    [
      "bidirectional rnn",
      assertValid(sequential("m", [input("x", 2), rnn("b", { cell: "gru", units: 3, direction: "bidirectional" })])),
      "b",
      /node "b" \(rnn\) is bidirectional/,
    ],
    [
      "reverse rnn",
      assertValid(sequential("m", [input("x", 2), rnn("r", { cell: "simple", units: 3, direction: "reverse" })])),
      "r",
      /node "r" \(rnn\) is reverse/,
    ],
    [
      "lastStep output",
      assertValid(sequential("m", [input("x", 2), lstm("l", { units: 3 }), lastStep("last")])),
      "last",
      /node "last" \(lastStep\) joins or creates the time axis/,
    ],
    [
      "pool output",
      assertValid(sequential("m", [input("x", 2), lstm("l", { units: 3 }), pool("p", "mean")])),
      "p",
      /node "p" \(pool\)/,
    ],
    [
      "rnn without returnSequences",
      assertValid(sequential("m", [input("x", 2), lstm("l", { units: 3, returnSequences: false })])),
      "l",
      /returns only its last step/,
    ],
    [
      "frame window",
      assertValid(sequential("m", [input("x", 2), frameStack("w", { left: 1 }), dense("o", { units: 1 })])),
      "o",
      /node "w" \(frameStack\) looks across frames/,
    ],
    [
      "wired initial state",
      assertValid(
        graph("m", [input("x", 2), stateInput("h0", 3), rnn("r", { cell: "simple", units: 3 }, "x", "h0")], ["r"]),
      ),
      "r",
      /wired initial states/,
    ],
    [
      "repeat",
      assertValid(
        graph("m", [vectorInput("v", 2), repeat("rep", { steps: 4 }, "v"), lstm("l", { units: 2 }, "rep")], ["l"]),
      ),
      "l",
      /node "rep" \(repeat\)/,
    ],
  ];
  test.each(refused)("refuses a %s with BAD_CONFIG naming the node", (_name, model, output, message) => {
    expect(() => checkTruncatable(model, output)).toThrow(message);
    expect(() => checkTruncatable(model, output)).toThrow(expect.objectContaining({ code: "BAD_CONFIG" }));
  });
});

describe("chunkTrainBatch", () => {
  // x[t, b, 0] = 10·t + b, so every slice is recognisable.
  const T = 5;
  const x = tensor(
    [T, 2, 1],
    Array.from({ length: T * 2 }, (_, i) => 10 * Math.floor(i / 2) + (i % 2)),
  );
  const target = tensor(
    [T, 2, 2],
    Array.from({ length: T * 4 }, (_, i) => i),
  );
  const h0 = tensor([1, 2, 3]);
  const batch = { inputs: { x, lengths: Int32Array.of(5, 2), "l/h": h0 }, target };

  test("slices inputs and target, clamps lengths, feeds the given states to the first chunk only", () => {
    const chunks = chunkTrainBatch(ok, batch, T, 2);
    expect(chunks.map((c) => [c.start, c.steps])).toEqual([
      [0, 2],
      [2, 2],
      [4, 1],
    ]);
    expect(Array.from((chunks[1]!.batch.inputs.x as { data: Float32Array }).data)).toEqual([20, 21, 30, 31]);
    expect(chunks[2]!.batch.target.shape).toEqual([1, 2, 2]);
    expect(Array.from(chunks[2]!.batch.target.data)).toEqual([16, 17, 18, 19]);
    expect(chunks.map((c) => Array.from(c.batch.inputs.lengths as Int32Array))).toEqual([
      [2, 2],
      [2, 0],
      [1, 0],
    ]);
    expect(chunks[0]!.batch.inputs["l/h"]).toBe(h0);
    expect(chunks[1]!.batch.inputs["l/h"]).toBeUndefined();
  });

  test("a chunk size at least T gives the batch back whole", () => {
    const [only, ...rest] = chunkTrainBatch(ok, batch, T, 7);
    expect(rest).toEqual([]);
    expect(only!.steps).toBe(T);
    expect(Array.from(only!.batch.inputs.lengths as Int32Array)).toEqual([5, 2]);
  });
});

describe("trainChunkWeight", () => {
  const T = 5;
  // Labels [T, B] = [[0, 1], [1, 1], [0, 0], [1, 0], [1, 1]]; lengths [5, 2]; chunks of 2 steps.
  const target = { shape: [T, 2], data: Int32Array.of(0, 1, 1, 1, 0, 0, 1, 0, 1, 1) };
  const batch = { inputs: { x: tensor([T, 2, 1]), lengths: Int32Array.of(5, 2) }, target };
  const chunks = chunkTrainBatch(ok, batch, T, 2);

  test("counts each chunk's valid frames", () => {
    const mse = { kind: "mse" } as const;
    expect(chunks.map((c) => trainChunkWeight(ok, c, "out", mse))).toEqual([
      { frames: 4, weight: 4 },
      { frames: 2, weight: 2 },
      { frames: 1, weight: 1 },
    ]);
  });

  test("with class weights, sums the weights of the labels at valid frames", () => {
    const ce = { kind: "softmaxCrossEntropy", classWeights: [0.5, 3] } as const;
    // chunk 0: b0 labels 0, 1 and b1 labels 1, 1; chunk 1: b0 labels 0, 1 (b1 has ended); chunk 2: b0 label 1.
    expect(chunks.map((c) => trainChunkWeight(ok, c, "out", ce))).toEqual([
      { frames: 4, weight: 0.5 + 3 + 3 + 3 },
      { frames: 2, weight: 0.5 + 3 },
      { frames: 1, weight: 3 },
    ]);
  });

  test("binary cross-entropy with class weights counts frames (its mean is over frames; targets are floats)", () => {
    const bce = { kind: "binaryCrossEntropy", classWeights: [0.5, 1] } as const;
    // Shaped like output "out" [T, 2, 2]: soft and hard targets, none of them a class index but 0 and 1.
    const soft = { shape: [T, 2, 2], data: Float32Array.from({ length: T * 4 }, (_, i) => [0.3, 1, 0, 0.5][i % 4]!) };
    const bceChunks = chunkTrainBatch(ok, { ...batch, target: soft }, T, 2);
    expect(bceChunks.map((c) => trainChunkWeight(ok, c, "out", bce))).toEqual([
      { frames: 4, weight: 4 },
      { frames: 2, weight: 2 },
      { frames: 1, weight: 1 },
    ]);
  });

  test("without a lengths feed every step of the chunk is valid", () => {
    const unmasked = chunkTrainBatch(ok, { inputs: { x: tensor([T, 2, 1]) }, target }, T, 2);
    expect(unmasked.map((c) => trainChunkWeight(ok, c, "out", { kind: "mse" }).frames)).toEqual([4, 4, 2]);
  });
});
