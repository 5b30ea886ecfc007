/**
 * The recurrent cells, one row each: everything that differs between cells lives here, so that adding a cell
 * (or a variant such as peepholes, layer norm or a projection) is this table's checklist, which the compiler
 * enforces (`{ [C in Cell]: CellSpec }`), instead of a hunt for `cell === "lstm"` across the packages. Shape
 * inference, parameter specs, state feeds and outputs, validation, truncated BPTT, the training backends' state
 * carry and the ONNX exporter all read it. Kernels dispatch on the cell with exhaustive switches.
 */
import type { Cell } from "./nodes.js";

/** A state a cell carries between steps: `h` (every cell) and `c` (LSTM), in the rnn node's input-slot order. */
export type StateName = "h" | "c";

/** What a cell is, for every package that needs to know. */
export interface CellSpec {
  /**
   * Gate blocks in PyTorch's order, each `units` rows of `weight_ih [G·H, D]`, `weight_hh [G·H, H]`, `bias_ih`
   * and `bias_hh [G·H]` (G = the number of gates).
   */
  readonly gates: readonly string[];
  /** States carried, in input-slot order: slot 1 is `h`, slot 2 `c`. Values `<id>/h`, feeds `<id>/h`, … */
  readonly states: readonly StateName[];
  /** The PyTorch module whose state dict maps one to one onto the parameters. */
  readonly torch: "nn.RNN" | "nn.LSTM" | "nn.GRU";
  /** The ONNX operator and, for each ONNX gate block, the PyTorch gate block it comes from. */
  readonly onnx: { readonly op: "RNN" | "LSTM" | "GRU"; readonly gateOrder: readonly number[] };
  /** Index of the gate whose `bias_ih` block `initWeights` sets to 1 (LSTM's forget gate), if any. */
  readonly unitBiasGate: number | undefined;
}

/** The cell table (docs/design.md §2; ONNX order from torch.onnx symbolic_opset9 `_generic_rnn`). */
export const CELL_SPECS: { readonly [C in Cell]: CellSpec } = {
  simple: {
    gates: ["h"],
    states: ["h"],
    torch: "nn.RNN",
    onnx: { op: "RNN", gateOrder: [0] },
    unitBiasGate: undefined,
  },
  lstm: {
    gates: ["i", "f", "g", "o"],
    states: ["h", "c"],
    torch: "nn.LSTM",
    // ONNX i,o,f,c from PyTorch i,f,g,o.
    onnx: { op: "LSTM", gateOrder: [0, 3, 1, 2] },
    unitBiasGate: 1,
  },
  gru: {
    gates: ["r", "z", "n"],
    states: ["h"],
    torch: "nn.GRU",
    // ONNX z,r,h from PyTorch r,z,n.
    onnx: { op: "GRU", gateOrder: [1, 0, 2] },
    unitBiasGate: undefined,
  },
};

/** The row of `cell`. */
export function cellSpec(cell: Cell): CellSpec {
  return CELL_SPECS[cell];
}
