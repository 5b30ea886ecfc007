import { dense, gru, input } from "@recurrent/core";
import { type Case, defineCase } from "../case.js";

/** GRU (gates r,z,n), reset-after (PyTorch) and reset-before (original GRU), each direction. */
export const gruCases: readonly Case[] = [
  defineCase({
    name: "gru-reset-after-forward",
    description: "GRU reset-after (PyTorch), forward",
    graph: [input("x", 3), gru("gru", { units: 4 }), dense("out", { units: 2 })],
  }),
  defineCase({
    name: "gru-reset-before-forward",
    description: "GRU reset-before: n = tanh(W_in x + b_in + W_hn (r*h) + b_hn), forward",
    graph: [input("x", 3), gru("gru", { units: 4, resetAfter: false }), dense("out", { units: 2 })],
  }),
  defineCase({
    name: "gru-reset-after-reverse",
    description: "GRU reset-after, reverse",
    graph: [input("x", 3), gru("gru", { units: 3, direction: "reverse" }), dense("out", { units: 2 })],
    batch: 4,
    time: { time: 6 },
    lengths: { lengths: [2, 6, 1, 5] },
  }),
  defineCase({
    name: "gru-reset-before-reverse",
    description: "GRU reset-before, reverse",
    graph: [
      input("x", 3),
      gru("gru", { units: 3, direction: "reverse", resetAfter: false }),
      dense("out", { units: 2 }),
    ],
    batch: 4,
    time: { time: 6 },
    lengths: { lengths: [2, 6, 1, 5] },
  }),
  defineCase({
    name: "gru-reset-after-final",
    description: "GRU reset-after with returnSequences=false",
    graph: [input("x", 3), gru("gru", { units: 4, returnSequences: false }), dense("out", { units: 2 })],
  }),
  defineCase({
    name: "gru-reset-before-final",
    description: "GRU reset-before with returnSequences=false",
    graph: [
      input("x", 3),
      gru("gru", { units: 4, returnSequences: false, resetAfter: false }),
      dense("out", { units: 2 }),
    ],
  }),
];
