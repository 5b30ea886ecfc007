import { concat, dense, graph, gru, input, lstm, repeat, simpleRnn, vectorInput } from "@recurrent/core";
import { type Case, defineCase } from "../case.js";

/** One-to-many: a vector repeated over a fixed number of steps, or over the time axis of another sequence. */
export const repeatCases: readonly Case[] = [
  defineCase({
    name: "repeat-steps-lstm",
    description: "vector input, dense, repeat over 4 fixed steps (all valid), LSTM, dense",
    graph: [
      vectorInput("v", 3),
      dense("d", { units: 3, activation: "tanh" }),
      repeat("rep", { steps: 4 }),
      lstm("lstm", { units: 3 }),
      dense("out", { units: 2 }),
    ],
    lengths: {},
  }),
  defineCase({
    name: "repeat-steps-simple-reverse",
    description: "repeat over 3 fixed steps then a reverse simple RNN",
    graph: [vectorInput("v", 2), repeat("rep", { steps: 3 }), simpleRnn("rnn", { units: 3, direction: "reverse" })],
    lengths: {},
  }),
  defineCase({
    name: "repeat-like",
    description: "a vector repeated like a sequence (its T and lengths), concatenated with it, GRU, dense",
    graph: graph(
      "repeat-like",
      [
        input("x", 2),
        vectorInput("v", 2),
        repeat("rep", {}, "v", "x"),
        concat("joined", "x", "rep"),
        gru("gru", { units: 3 }, "joined"),
        dense("out", { units: 2 }, "gru"),
      ],
      ["out"],
    ),
  }),
  defineCase({
    name: "repeat-like-bidirectional",
    description: "a vector repeated like a sequence, fed alone to a bidirectional LSTM (masking comes from `like`)",
    graph: graph(
      "repeat-like-bidirectional",
      [
        input("x", 2),
        vectorInput("v", 3),
        repeat("rep", {}, "v", "x"),
        lstm("bi", { units: 3, direction: "bidirectional", merge: "concat" }, "rep"),
        dense("out", { units: 2 }, "bi"),
      ],
      ["out"],
    ),
    batch: 4,
    lengths: { lengths: [5, 1, 3, 2] },
  }),
];
