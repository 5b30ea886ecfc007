import { DIRECTIONS, dense, graph, input, rnn } from "@recurrent/core";
import { type Case, defineCase } from "../case.js";

/**
 * A sample of length 0 next to running ones, with initial states fed by key: its outputs are zero and its final
 * states are zero too, not the fed initial state (onnxruntime's `sequence_lens` rule; docs/design.md). One case
 * per cell variant and direction, each returning the final states so that both are compared; the forward cases
 * use returnSequences false, so that the loss (and its gradients) read the final state of the empty sample.
 */
const CELLS = [
  { name: "simple", cell: "simple" },
  { name: "lstm", cell: "lstm" },
  { name: "gru", cell: "gru" },
  { name: "gru-reset-before", cell: "gru", resetAfter: false },
] as const;

export const emptySampleCases: readonly Case[] = CELLS.flatMap((variant) =>
  DIRECTIONS.map((direction) => {
    const name = `empty-sample-${variant.name}-${direction}`;
    const lastOnly = direction === "forward";
    const layer = rnn(
      "rnn",
      {
        cell: variant.cell,
        units: 3,
        direction,
        returnSequences: !lastOnly,
        ...("resetAfter" in variant ? { resetAfter: variant.resetAfter } : {}),
      },
      "x",
    );
    const states = variant.cell === "lstm" ? ["rnn/h", "rnn/c"] : ["rnn/h"];
    return defineCase({
      name,
      description: `${variant.name} ${direction}: a length-0 sample with a fed initial state has zero outputs and zero final states`,
      graph: graph(name, [input("x", 2), layer, dense("out", { units: 2 }, "rnn")], ["out", ...states]),
      lengths: { lengths: [4, 0, 2] },
      time: { time: 4 },
      stateFeeds: states,
    });
  }),
);
