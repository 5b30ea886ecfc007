import { describe, expect, test } from "vitest";
import { stateFeedSlots } from "../backend/check-feeds.js";
import { rnn } from "./builders.js";
import { CELL_SPECS } from "./cells.js";
import { CELLS, gatesOf, stateOutputs } from "./nodes.js";
import { paramsOf } from "./params.js";

// The expected rows are PyTorch's documentation (gate order of nn.LSTM / nn.GRU / nn.RNN weight_ih_l0) and the
// ONNX operator specs (LSTM iofc, GRU zrh), written out here rather than read from the table under test.
const expected = {
  simple: { gates: ["h"], onnx: ["h"], states: ["h"] },
  lstm: { gates: ["i", "f", "g", "o"], onnx: ["i", "o", "f", "g"], states: ["h", "c"] },
  gru: { gates: ["r", "z", "n"], onnx: ["z", "r", "n"], states: ["h"] },
} as const;

describe("CELL_SPECS", () => {
  test.each(CELLS)("%s: gates, ONNX order, states, and everything that reads them", (cell) => {
    const spec = CELL_SPECS[cell];
    expect(spec.gates).toEqual(expected[cell].gates);
    expect(spec.onnx.gateOrder.map((k) => spec.gates[k])).toEqual(expected[cell].onnx);
    expect(spec.states).toEqual(expected[cell].states);
    const node = rnn("r", { cell, units: 5 });
    expect(gatesOf(cell)).toBe(expected[cell].gates.length);
    expect(stateOutputs(node)).toEqual(expected[cell].states.map((s) => `r/${s}`));
    expect(stateFeedSlots(node)).toEqual(expected[cell].states.map((s, i) => ({ key: `r/${s}`, slot: i + 1 })));
    const G = expected[cell].gates.length;
    expect(paramsOf(node, [["time", "batch", 3]]).map((p) => [p.name, p.shape])).toEqual([
      ["weight_ih", [G * 5, 3]],
      ["weight_hh", [G * 5, 5]],
      ["bias_ih", [G * 5]],
      ["bias_hh", [G * 5]],
    ]);
  });

  test("only the LSTM's forget gate starts with bias 1 (in bias_ih)", () => {
    const bias = (cell: (typeof CELLS)[number]) =>
      paramsOf(rnn("r", { cell, units: 2 }), [["time", "batch", 3]]).find((p) => p.name === "bias_ih")!.init;
    expect(bias("lstm")).toEqual({ kind: "gateBias", blocks: 4, block: 1, value: 1 });
    expect(bias("gru")).toEqual({ kind: "zeros" });
    expect(bias("simple")).toEqual({ kind: "zeros" });
  });
});
