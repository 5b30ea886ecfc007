import { dense, graph, gru, input, lastStep, lstm, repeat } from "@recurrent/core";
import { type Case, defineCase } from "../case.js";

const twoAxes = {
  batch: 3,
  time: { srcTime: 5, tgtTime: 4 },
  lengths: { srcLengths: [5, 1, 3], tgtLengths: [2, 4, 1] },
} as const;

/** Encoder → decoder pairs over two time axes with their own lengths. */
export const seq2seqCases: readonly Case[] = [
  defineCase({
    name: "seq2seq-lstm-states",
    description: "LSTM encoder's final h and c initialise an LSTM decoder over another time axis",
    graph: graph(
      "seq2seq-lstm-states",
      [
        input("src", 3, { lengths: "srcLengths", time: "srcTime" }),
        lstm("enc", { units: 4, returnSequences: false }, "src"),
        input("tgt", 2, { lengths: "tgtLengths", time: "tgtTime" }),
        lstm("dec", { units: 4 }, "tgt", "enc/h", "enc/c"),
        dense("out", { units: 2 }, "dec"),
      ],
      ["out"],
    ),
    ...twoAxes,
  }),
  defineCase({
    name: "seq2seq-gru-repeat",
    description: "GRU encoder, lastStep, repeated like the target, reverse GRU decoder from the encoder state; CE",
    graph: graph(
      "seq2seq-gru-repeat",
      [
        input("src", 3, { lengths: "srcLengths", time: "srcTime" }),
        gru("enc", { units: 3 }, "src"),
        lastStep("summary", "enc"),
        input("tgt", 2, { lengths: "tgtLengths", time: "tgtTime" }),
        repeat("context", {}, "summary", "tgt"),
        gru("dec", { units: 3, direction: "reverse", resetAfter: false }, "context", "enc/h"),
        dense("out", { units: 3 }, "dec"),
      ],
      ["out"],
    ),
    ...twoAxes,
    loss: { kind: "softmaxCrossEntropy" },
  }),
  defineCase({
    name: "seq2seq-bilstm-encoder",
    description: "bidirectional LSTM encoder (final states, concat) → dense → repeated like the target → LSTM",
    graph: graph(
      "seq2seq-bilstm-encoder",
      [
        input("src", 2, { lengths: "srcLengths", time: "srcTime" }),
        lstm("enc", { units: 3, direction: "bidirectional", merge: "concat", returnSequences: false }, "src"),
        dense("bridge", { units: 3, activation: "tanh" }, "enc"),
        input("tgt", 2, { lengths: "tgtLengths", time: "tgtTime" }),
        repeat("context", {}, "bridge", "tgt"),
        lstm("dec", { units: 3 }, "context"),
        dense("out", { units: 2 }, "dec"),
      ],
      ["out"],
    ),
    ...twoAxes,
  }),
];
