import { dense, input, pad } from "@recurrent/core";
import { type Case, defineCase } from "../case.js";

/**
 * `pad` on the time axis of an input declared without lengths: zero frames, or a reflection that does not repeat
 * the edge frame (PyTorch/ONNX `reflect`), up to its limit of T − 1 frames on a side.
 */
export const padCases: readonly Case[] = [
  defineCase({
    name: "pad-zero",
    description: "pad 1 zero frame before and 3 after: T 5 -> 9, the dense reads zeros at the new frames",
    graph: [input("x", 2, { lengths: false }), pad("pad", { before: 1, after: 3 }), dense("out", { units: 2 })],
    lengths: {},
  }),
  defineCase({
    name: "pad-reflect",
    description:
      "reflect pad 2 frames before and 4 (= T - 1, the most) after: T 5 -> 11; mirrored frames sum gradients",
    graph: [
      input("x", 2, { lengths: false }),
      pad("pad", { before: 2, after: 4, mode: "reflect" }),
      dense("out", { units: 2 }),
    ],
    lengths: {},
  }),
];
