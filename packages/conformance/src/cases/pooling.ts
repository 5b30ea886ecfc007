import { dense, graph, gru, input, lastStep, lstm, pool } from "@recurrent/core";
import { type Case, defineCase } from "../case.js";

const withZero = { batch: 4, time: { time: 5 }, lengths: { lengths: [5, 1, 0, 3] } } as const;

/** Many-to-one: the last valid step and mean / max over valid steps (zeros for a length-0 sample). */
export const poolingCases: readonly Case[] = [
  defineCase({
    name: "pool-last-step",
    description: "LSTM then lastStep (output at each sample's step length-1) then dense",
    graph: [input("x", 3), lstm("lstm", { units: 4 }), lastStep("last"), dense("out", { units: 2 })],
  }),
  defineCase({
    name: "pool-last-step-length-zero",
    description: "lastStep of a reverse GRU with a length-0 sample (zeros)",
    graph: [
      input("x", 3),
      gru("gru", { units: 3, direction: "reverse" }),
      lastStep("last"),
      dense("out", { units: 2 }),
    ],
    ...withZero,
  }),
  defineCase({
    name: "pool-mean",
    description: "mean over valid steps of a GRU's outputs",
    graph: [input("x", 3), gru("gru", { units: 4 }), pool("mean", "mean"), dense("out", { units: 2 })],
  }),
  defineCase({
    name: "pool-mean-length-zero",
    description: "mean pool of dense frames with a length-0 sample (zeros)",
    graph: [
      input("x", 3),
      dense("d", { units: 4, activation: "tanh" }),
      pool("mean", "mean"),
      dense("out", { units: 2 }),
    ],
    ...withZero,
  }),
  defineCase({
    name: "pool-max",
    description: "max over valid steps of dense tanh frames (padded frames hold larger values and must be ignored)",
    graph: [
      input("x", 3),
      dense("d", { units: 4, activation: "tanh" }),
      pool("max", "max"),
      dense("out", { units: 2 }),
    ],
  }),
  defineCase({
    name: "pool-max-length-zero",
    description: "max pool of LSTM outputs with a length-0 sample (zeros)",
    graph: [input("x", 3), lstm("lstm", { units: 3 }), pool("max", "max"), dense("out", { units: 2 })],
    ...withZero,
  }),
  defineCase({
    name: "pool-last-step-and-mean",
    description: "lastStep and mean pool of the same sequence, used side by side",
    graph: graph(
      "pool-last-step-and-mean",
      [
        input("x", 3),
        dense("d", { units: 3, activation: "sigmoid" }, "x"),
        lastStep("last", "d"),
        pool("mean", "mean", "d"),
        dense("a", { units: 2 }, "last"),
        dense("b", { units: 2 }, "mean"),
      ],
      ["a", "b"],
    ),
    loss: { kind: "mse", output: "b" },
  }),
];
