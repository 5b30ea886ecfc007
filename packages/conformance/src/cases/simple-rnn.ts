import { dense, input, simpleRnn } from "@recurrent/core";
import { type Case, defineCase } from "../case.js";

/** Elman RNN, tanh and relu, each direction, sequences and final states. */
export const simpleRnnCases: readonly Case[] = [
  defineCase({
    name: "simple-rnn-tanh-forward",
    description: "simple RNN tanh, forward, sequences then dense",
    graph: [input("x", 3), simpleRnn("rnn", { units: 4 }), dense("out", { units: 2 })],
  }),
  defineCase({
    name: "simple-rnn-relu-forward",
    description: "simple RNN relu, forward",
    graph: [input("x", 3), simpleRnn("rnn", { units: 4, activation: "relu" }), dense("out", { units: 2 })],
    batch: 4,
    time: { time: 6 },
    lengths: { lengths: [6, 1, 4, 2] },
  }),
  defineCase({
    name: "simple-rnn-tanh-reverse",
    description: "simple RNN tanh, reverse over each sample's valid prefix, time-aligned outputs",
    graph: [input("x", 3), simpleRnn("rnn", { units: 3, direction: "reverse" }), dense("out", { units: 2 })],
  }),
  defineCase({
    name: "simple-rnn-relu-reverse",
    description: "simple RNN relu, reverse",
    graph: [
      input("x", 2),
      simpleRnn("rnn", { units: 3, direction: "reverse", activation: "relu" }),
      dense("out", { units: 2 }),
    ],
  }),
  defineCase({
    name: "simple-rnn-tanh-bidirectional",
    description: "simple RNN tanh, bidirectional, default sum merge",
    graph: [input("x", 3), simpleRnn("rnn", { units: 3, direction: "bidirectional" }), dense("out", { units: 2 })],
  }),
  defineCase({
    name: "simple-rnn-relu-bidirectional-concat",
    description: "simple RNN relu, bidirectional, concat merge",
    graph: [
      input("x", 3),
      simpleRnn("rnn", { units: 3, direction: "bidirectional", merge: "concat", activation: "relu" }),
      dense("out", { units: 2 }),
    ],
  }),
  defineCase({
    name: "simple-rnn-final",
    description: "simple RNN tanh with returnSequences=false: the state at each sample's last valid step",
    graph: [input("x", 3), simpleRnn("rnn", { units: 4, returnSequences: false }), dense("out", { units: 2 })],
  }),
];
