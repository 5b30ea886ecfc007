import { dense, input, magnitude, vectorInput } from "@recurrent/core";
import { type Case, defineCase } from "../case.js";

/**
 * `magnitude` of `[real | imaginary]` features on a masked sequence and on a vector, each with one real/imaginary
 * pair set to exactly 0: there y = 0 and the IR's gradient is 0 (PyTorch's sqrt would give NaN).
 */
export const magnitudeCases: readonly Case[] = [
  defineCase({
    name: "magnitude-sequence",
    description: "magnitude 6 -> 3 on a sequence with lengths (kept), pair 1/4 zero at step 0 of sample 0, then dense",
    graph: [input("x", 6), magnitude("mag"), dense("out", { units: 2 })],
    zeros: {
      x: [
        [0, 0, 1],
        [0, 0, 4],
      ],
    },
  }),
  defineCase({
    name: "magnitude-vector",
    description: "magnitude 4 -> 2 on a vector, pair 0/2 zero in sample 1, then dense",
    graph: [vectorInput("v", 4), magnitude("mag"), dense("out", { units: 2 })],
    lengths: {},
    zeros: {
      v: [
        [1, 0],
        [1, 2],
      ],
    },
  }),
];
