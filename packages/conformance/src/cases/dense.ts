import { activation, add, concat, dense, dropout, graph, input, vectorInput } from "@recurrent/core";
import { type Case, defineCase } from "../case.js";

const perActivation = (["linear", "tanh", "sigmoid", "relu", "softmax"] as const).map((fn) =>
  defineCase({
    name: `dense-${fn}`,
    description: `dense layer with ${fn} activation applied per frame`,
    graph: [input("x", 3), dense("out", { units: 4, activation: fn })],
  }),
);

/** Dense layers per frame and on vectors, elementwise activations, dropout at inference, concat and add. */
export const denseCases: readonly Case[] = [
  ...perActivation,
  defineCase({
    name: "dense-no-bias-activation-dropout",
    description: "dense without bias, then an activation node and dropout (identity at inference)",
    graph: [
      input("x", 4),
      dense("d", { units: 3, useBias: false }),
      activation("act", "tanh"),
      dropout("drop", 0.5),
      dense("out", { units: 2 }),
    ],
    batch: 4,
    time: { time: 4 },
    lengths: { lengths: [4, 1, 2, 3] },
  }),
  defineCase({
    name: "activation-nodes",
    description: "an activation node of every function in a chain (linear, sigmoid, relu, tanh, then softmax)",
    graph: [
      input("x", 3),
      dense("d", { units: 4 }),
      activation("lin", "linear"),
      activation("sig", "sigmoid"),
      dense("e", { units: 4 }),
      activation("relu", "relu"),
      activation("th", "tanh"),
      dense("f", { units: 3 }),
      activation("out", "softmax"),
    ],
  }),
  defineCase({
    name: "dense-vector",
    description: "dense layers on a [batch, D] vector input (no time axis, no lengths)",
    graph: [vectorInput("v", 5), dense("hidden", { units: 4, activation: "sigmoid" }), dense("out", { units: 3 })],
    lengths: {},
  }),
  defineCase({
    name: "dense-concat-add",
    description: "two dense branches joined by concat and by add",
    graph: graph(
      "dense-concat-add",
      [
        input("x", 3),
        dense("a", { units: 2, activation: "tanh" }, "x"),
        dense("b", { units: 2, activation: "relu" }, "x"),
        dense("c", { units: 2 }, "x"),
        add("sum", "a", "b", "c"),
        concat("joined", "sum", "x"),
        dense("out", { units: 3 }, "joined"),
      ],
      ["out"],
    ),
  }),
];
