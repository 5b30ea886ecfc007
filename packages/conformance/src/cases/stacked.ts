import { conv1d, dense, frameStack, gru, input, lstm, simpleRnn } from "@recurrent/core";
import { type Case, defineCase } from "../case.js";

/** Stacks of layers: every layer must pass lengths on so that the next one masks the same steps. */
export const stackedCases: readonly Case[] = [
  defineCase({
    name: "stacked-lstm-lstm",
    description: "two forward LSTM layers then dense",
    graph: [input("x", 3), lstm("l1", { units: 4 }), lstm("l2", { units: 3 }), dense("out", { units: 2 })],
    batch: 4,
    time: { time: 6 },
    lengths: { lengths: [6, 1, 3, 5] },
  }),
  defineCase({
    name: "stacked-bilstm-reverse-gru",
    description: "bidirectional LSTM (concat), reverse GRU, dense; no sample spans all T steps",
    graph: [
      input("x", 3),
      lstm("l1", { units: 3, direction: "bidirectional", merge: "concat" }),
      gru("l2", { units: 3, direction: "reverse" }),
      dense("out", { units: 2 }),
    ],
    lengths: { lengths: [4, 1, 2] },
  }),
  defineCase({
    name: "stacked-conv-bigru",
    description: "causal conv1d, bidirectional GRU (sum), softmax cross-entropy over frames",
    graph: [
      input("x", 3),
      conv1d("conv", { filters: 4, kernelSize: 3, padding: "causal", activation: "relu" }),
      gru("bi", { units: 3, direction: "bidirectional" }),
      dense("out", { units: 3 }),
    ],
    loss: { kind: "softmaxCrossEntropy" },
  }),
  defineCase({
    name: "stacked-window-bilstm",
    description: "the article's model in miniature: frameStack, bidirectional LSTM (sum), per-frame logits",
    graph: [
      input("x", 2),
      frameStack("win", { left: 1 }),
      lstm("blstm", { units: 4, direction: "bidirectional" }),
      dense("out", { units: 3 }),
    ],
    batch: 4,
    time: { time: 6 },
    lengths: { lengths: [6, 1, 4, 2] },
    loss: { kind: "softmaxCrossEntropy" },
  }),
  defineCase({
    name: "stacked-simple-bi-mul-lstm-reverse",
    description: "bidirectional simple RNN (mul) then a reverse LSTM with returnSequences=false",
    graph: [
      input("x", 3),
      simpleRnn("s", { units: 3, direction: "bidirectional", merge: "mul" }),
      lstm("l", { units: 3, direction: "reverse", returnSequences: false }),
      dense("out", { units: 2 }),
    ],
  }),
];
