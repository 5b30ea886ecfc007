import { dense, input, lstm } from "@recurrent/core";
import { type Case, defineCase } from "../case.js";

/** LSTM (gates i,f,g,o), each direction, sequences and final states. */
export const lstmCases: readonly Case[] = [
  defineCase({
    name: "lstm-forward",
    description: "LSTM forward, sequences then dense",
    graph: [input("x", 3), lstm("lstm", { units: 4 }), dense("out", { units: 2 })],
  }),
  defineCase({
    name: "lstm-forward-single-step",
    description: "LSTM forward over a single step (T = 1, every sample full length)",
    graph: [input("x", 4), lstm("lstm", { units: 3 }), dense("out", { units: 2 })],
    batch: 2,
    time: { time: 1 },
    lengths: { lengths: [1, 1] },
  }),
  defineCase({
    name: "lstm-forward-long",
    description: "LSTM forward over 7 steps and 4 samples of unequal lengths",
    graph: [input("x", 5), lstm("lstm", { units: 4 }), dense("out", { units: 3 })],
    batch: 4,
    time: { time: 7 },
    lengths: { lengths: [7, 1, 4, 6] },
  }),
  defineCase({
    name: "lstm-reverse",
    description: "LSTM reverse over each sample's valid prefix, time-aligned outputs",
    graph: [input("x", 3), lstm("lstm", { units: 4, direction: "reverse" }), dense("out", { units: 2 })],
  }),
  defineCase({
    name: "lstm-forward-final",
    description: "LSTM forward with returnSequences=false (the state at step length-1)",
    graph: [input("x", 3), lstm("lstm", { units: 4, returnSequences: false }), dense("out", { units: 2 })],
  }),
  defineCase({
    name: "lstm-reverse-final",
    description: "LSTM reverse with returnSequences=false (the state after t=0)",
    graph: [
      input("x", 3),
      lstm("lstm", { units: 4, direction: "reverse", returnSequences: false }),
      dense("out", { units: 2 }),
    ],
  }),
];
