import { dense, graph, gru, input, lastStep, lstm, pool } from "@recurrent/core";
import { type Case, defineCase } from "../case.js";

/**
 * Losses masked by lengths: softmax cross-entropy (with and without class weights), MSE, and binary cross-entropy
 * (probabilities or logits, class weights `[w0, w1]`, soft targets, padded targets outside [0, 1] never read).
 */
export const lossCases: readonly Case[] = [
  defineCase({
    name: "loss-ce-sequence",
    description: "softmax cross-entropy over valid frames of per-frame logits",
    graph: [input("x", 3), lstm("lstm", { units: 3 }), dense("out", { units: 4 })],
    batch: 4,
    time: { time: 6 },
    lengths: { lengths: [6, 1, 4, 2] },
    loss: { kind: "softmaxCrossEntropy" },
  }),
  defineCase({
    name: "loss-ce-class-weights",
    description: "class-weighted softmax cross-entropy over valid frames (normalised by the sum of weights)",
    graph: [input("x", 3), gru("gru", { units: 3 }), dense("out", { units: 3 })],
    batch: 4,
    time: { time: 6 },
    lengths: { lengths: [6, 1, 4, 2] },
    loss: { kind: "softmaxCrossEntropy", classWeights: [0.5, 2, 1.25] },
  }),
  defineCase({
    name: "loss-ce-vector-class-weights",
    description: "class-weighted cross-entropy on [B] labels after lastStep",
    graph: [input("x", 3), lstm("lstm", { units: 3 }), lastStep("last"), dense("out", { units: 3 })],
    batch: 4,
    lengths: { lengths: [5, 1, 3, 4] },
    loss: { kind: "softmaxCrossEntropy", classWeights: [1, 3, 0.5] },
  }),
  defineCase({
    name: "loss-mse-vector",
    description: "MSE on a [B, D] output (returnSequences=false)",
    graph: [input("x", 3), gru("gru", { units: 3, returnSequences: false }), dense("out", { units: 2 })],
  }),
  defineCase({
    name: "loss-mse-second-output",
    description: "two outputs, the loss reads the second (TrainConfig.output)",
    graph: graph(
      "loss-mse-second-output",
      [
        input("x", 3),
        lstm("lstm", { units: 3 }, "x"),
        dense("first", { units: 2 }, "lstm"),
        dense("second", { units: 3, activation: "tanh" }, "lstm"),
      ],
      ["first", "second"],
    ),
    loss: { kind: "mse", output: "second" },
  }),
  defineCase({
    name: "loss-bce-probabilities",
    description: "binary cross-entropy on sigmoid outputs over valid frames, 0/1 and soft targets",
    graph: [input("x", 3), lstm("lstm", { units: 3 }), dense("out", { units: 2, activation: "sigmoid" })],
    batch: 4,
    time: { time: 6 },
    lengths: { lengths: [6, 1, 4, 2] },
    loss: { kind: "binaryCrossEntropy" },
  }),
  defineCase({
    name: "loss-bce-logits-class-weights",
    description: "binary cross-entropy on logits with Silero's class weights [0.5, 1] (w0·(1 − y) + w1·y per element)",
    graph: [input("x", 3), gru("gru", { units: 3 }), dense("out", { units: 2 })],
    batch: 4,
    time: { time: 6 },
    lengths: { lengths: [6, 1, 4, 2] },
    loss: { kind: "binaryCrossEntropy", fromLogits: true, classWeights: [0.5, 1] },
  }),
  defineCase({
    name: "loss-bce-vector-class-weights",
    description:
      "binary cross-entropy on a [B, 1] probability (per-frame sigmoid, mean over valid steps), weights [0.5, 1]",
    graph: [
      input("x", 3),
      lstm("lstm", { units: 3 }),
      dense("frame", { units: 1, activation: "sigmoid" }),
      pool("prob", "mean"),
    ],
    batch: 4,
    lengths: { lengths: [5, 1, 3, 4] },
    loss: { kind: "binaryCrossEntropy", classWeights: [0.5, 1] },
  }),
];
