import { dense, graph, gru, input, lstm, rnn, simpleRnn, stateInput } from "@recurrent/core";
import { type Case, defineCase } from "../case.js";

/** User initial states, wired through state inputs or fed by key, and the state outputs `<id>/h`, `<id>/c`. */
export const statesCases: readonly Case[] = [
  defineCase({
    name: "states-lstm-wired",
    description: "LSTM with initial h and c from wired state inputs; graph returns the output and both states",
    graph: graph(
      "states-lstm-wired",
      [
        input("x", 3),
        stateInput("h0", 4),
        stateInput("c0", 4),
        lstm("lstm", { units: 4 }, "x", "h0", "c0"),
        dense("out", { units: 2 }, "lstm"),
      ],
      ["out", "lstm/h", "lstm/c"],
    ),
  }),
  defineCase({
    name: "states-lstm-h-only-wired",
    description: "LSTM with only the initial h wired (c starts at zero)",
    graph: graph(
      "states-lstm-h-only-wired",
      [input("x", 3), stateInput("h0", 3), lstm("lstm", { units: 3 }, "x", "h0"), dense("out", { units: 2 }, "lstm")],
      ["out"],
    ),
  }),
  defineCase({
    name: "states-gru-feed-keys",
    description: "GRU whose initial state is fed by the key gru/h (state input not wired)",
    graph: [input("x", 3), gru("gru", { units: 4 }), dense("out", { units: 2 })],
    stateFeeds: ["gru/h"],
  }),
  defineCase({
    name: "states-gru-reset-before-reverse-feed-keys",
    description: "reverse GRU reset-before with its initial state fed by key",
    graph: [
      input("x", 3),
      gru("gru", { units: 3, direction: "reverse", resetAfter: false }),
      dense("out", { units: 2 }),
    ],
    stateFeeds: ["gru/h"],
  }),
  defineCase({
    name: "states-simple-reverse-wired",
    description: "reverse simple RNN with a wired initial state; the reverse pass starts from it at step length-1",
    graph: graph(
      "states-simple-reverse-wired",
      [
        input("x", 3),
        stateInput("h0", 3),
        simpleRnn("rnn", { units: 3, direction: "reverse" }, "x", "h0"),
        dense("out", { units: 2 }, "rnn"),
      ],
      ["out", "rnn/h"],
    ),
  }),
  defineCase({
    name: "states-bilstm-wired",
    description: "bidirectional LSTM with wired [2, B, H] initial states (index 0 forward, 1 backward)",
    graph: graph(
      "states-bilstm-wired",
      [
        input("x", 3),
        stateInput("h0", 3, 2),
        stateInput("c0", 3, 2),
        rnn("bi", { cell: "lstm", units: 3, direction: "bidirectional", merge: "concat" }, "x", "h0", "c0"),
        dense("out", { units: 2 }, "bi"),
      ],
      ["out", "bi/h", "bi/c"],
    ),
  }),
  defineCase({
    name: "states-lstm-feed-keys-final",
    description: "LSTM with returnSequences=false and both initial states fed by key",
    graph: [input("x", 3), lstm("lstm", { units: 3, returnSequences: false }), dense("out", { units: 2 })],
    stateFeeds: ["lstm/h", "lstm/c"],
  }),
];
