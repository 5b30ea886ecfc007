import { dense, frameStack, input } from "@recurrent/core";
import { type Case, defineCase } from "../case.js";

/** The windowed net's input: frames outside a sample's valid range read as zeros. */
export const frameStackCases: readonly Case[] = [
  defineCase({
    name: "frame-stack-symmetric",
    description: "frameStack left 1 right 1 then dense; edges and padded frames read as zeros",
    graph: [input("x", 2), frameStack("win", { left: 1 }), dense("out", { units: 3 })],
    batch: 3,
    time: { time: 4 },
    lengths: { lengths: [4, 1, 2] },
  }),
  defineCase({
    name: "frame-stack-past-only",
    description: "frameStack left 2 right 0 (past context only)",
    graph: [input("x", 2), frameStack("win", { left: 2, right: 0 }), dense("out", { units: 2, activation: "tanh" })],
  }),
  defineCase({
    name: "frame-stack-asymmetric-length-zero",
    description: "frameStack left 1 right 3 with a length-0 sample",
    graph: [input("x", 2), frameStack("win", { left: 1, right: 3 }), dense("out", { units: 2 })],
    batch: 4,
    time: { time: 5 },
    lengths: { lengths: [5, 2, 1, 0] },
  }),
];
