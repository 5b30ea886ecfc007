// Every op and every option value of the IR's rule tables has a conformance case: the requirements are
// enumerated from core's tables (OPS, ACTIVATIONS, CELLS, DIRECTIONS, MERGES, CONV_PADDINGS, PAD_MODES, POOL_MODES), so a
// new op or option value fails here until a PyTorch-checked case exercises it. Lengths-0 samples with fed states
// are covered per cell and direction by cases/empty-samples.ts and checked below as well.
import {
  ACTIVATIONS,
  CELLS,
  CONV_PADDINGS,
  changesTime,
  DIRECTIONS,
  type LayerNode,
  MERGES,
  OPS,
  PAD_MODES,
  POOL_MODES,
} from "@recurrent/core";
import { expect, test } from "vitest";
import { allCases } from "./cases/index.js";

/** The feature strings one node exercises. */
function featuresOf(node: LayerNode): string[] {
  switch (node.op) {
    case "dense":
      return [`dense activation ${node.activation}`, `dense bias ${node.useBias}`];
    case "activation":
      return [`activation ${node.activation}`];
    case "conv1d":
      return [
        `conv1d padding ${node.padding}`,
        `conv1d dilated ${node.dilation > 1}`,
        `conv1d strided ${(node.stride ?? 1) > 1}`,
        `conv1d ${changesTime(node) ? "changes" : "keeps"} time`,
      ];
    case "pad":
      return [
        `pad ${node.mode}`,
        `pad ${node.before > 0 ? "before" : "no before"}`,
        `pad ${node.after > 0 ? "after" : "no after"}`,
      ];
    case "pool":
      return [`pool ${node.mode}`];
    case "rnn": {
      const out = [
        `rnn ${node.cell} ${node.direction}`,
        `rnn ${node.cell} returnSequences ${node.returnSequences}`,
        `rnn ${node.cell} wired state ${Boolean(node.inputs[1])}`,
      ];
      if (node.direction === "bidirectional") {
        out.push(`rnn merge ${node.merge ?? "sum"}`, `rnn ${node.cell} tied ${Boolean(node.tiedDirections)}`);
      }
      if (node.cell === "gru") out.push(`gru resetAfter ${node.resetAfter !== false}`);
      if (node.cell === "simple") out.push(`simple activation ${node.activation ?? "tanh"}`);
      return out;
    }
    default:
      return [];
  }
}

/** What must be covered, from core's tables. */
function required(): string[] {
  const out: string[] = OPS.map((op) => `op ${op}`);
  for (const fn of ACTIVATIONS) out.push(`dense activation ${fn}`, `activation ${fn}`);
  out.push("dense bias true", "dense bias false");
  for (const padding of CONV_PADDINGS) out.push(`conv1d padding ${padding}`);
  out.push("conv1d dilated true", "conv1d dilated false", "conv1d strided true", "conv1d strided false");
  out.push("conv1d changes time", "conv1d keeps time");
  for (const mode of PAD_MODES) out.push(`pad ${mode}`);
  out.push("pad before", "pad no before", "pad after");
  for (const mode of POOL_MODES) out.push(`pool ${mode}`);
  for (const merge of MERGES) out.push(`rnn merge ${merge}`);
  for (const cell of CELLS) {
    for (const direction of DIRECTIONS) out.push(`rnn ${cell} ${direction}`);
    for (const flag of [true, false]) {
      out.push(`rnn ${cell} returnSequences ${flag}`, `rnn ${cell} wired state ${flag}`, `rnn ${cell} tied ${flag}`);
    }
  }
  out.push("gru resetAfter true", "gru resetAfter false", "simple activation tanh", "simple activation relu");
  return out;
}

test("every op and option value of core's rule tables has a conformance case", () => {
  const covered = new Set<string>();
  for (const c of allCases) {
    for (const node of c.graph.nodes) {
      covered.add(`op ${node.op}`);
      for (const f of featuresOf(node)) covered.add(f);
    }
  }
  expect(required().filter((r) => !covered.has(r))).toEqual([]);
});

test("a length-0 sample with a fed initial state, for every cell and direction", () => {
  const covered = new Set<string>();
  for (const c of allCases) {
    const zero = Object.values(c.lengths).some((ls) => ls.includes(0));
    if (!zero) continue;
    for (const node of c.graph.nodes) {
      if (node.op !== "rnn" || node.inputs[1]) continue;
      if (c.stateFeeds.includes(`${node.id}/h`)) covered.add(`${node.cell} ${node.direction}`);
    }
  }
  const missing = CELLS.flatMap((cell) => DIRECTIONS.map((d) => `${cell} ${d}`)).filter((k) => !covered.has(k));
  expect(missing).toEqual([]);
});
