/**
 * ONNX RNN / LSTM / GRU nodes → the IR's `rnn` layer. Weights go back from ONNX's W `[nd, G·H, D]`,
 * R `[nd, G·H, H]`, B `[nd, 2·G·H]` = [Wb, Rb] to PyTorch's `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`, with
 * the gate blocks put back in PyTorch's order (the inverse of `CELL_SPECS[cell].onnx.gateOrder`).
 */
import { CELL_SPECS, type Cell, type Direction, type Tensor } from "@recurrent/core";
import type { DecodedNode } from "./decode.js";

/** An ONNX recurrent node read, waiting for the consumer of its output to say how directions merge. */
export interface PendingRnn {
  readonly node: DecodedNode;
  readonly label: string;
  readonly cell: Cell;
  readonly direction: Direction;
  readonly units: number;
  readonly activation?: "tanh" | "relu";
  readonly resetAfter?: boolean;
  /** PyTorch-named parameters without the node id prefix (`weight_ih`, `bias_hh_reverse`, …). */
  readonly params: Readonly<Record<string, Tensor>>;
  /** IR value names wired as initial states (undefined: zeros, the IR's default). */
  readonly states: readonly (string | undefined)[];
  /** The id of the IR node once emitted. */
  emitted?: string;
}

export const CELL_OF_OP: Readonly<Record<string, Cell>> = { RNN: "simple", LSTM: "lstm", GRU: "gru" };

/** PyTorch-layout parameters from ONNX W, R, B (B zeros when absent). */
export function unpackWeights(
  cell: Cell,
  nd: number,
  H: number,
  D: number,
  W: Float32Array,
  R: Float32Array,
  B: Float32Array | undefined,
): Record<string, Tensor> {
  const G = CELL_SPECS[cell].gates.length;
  const order = CELL_SPECS[cell].onnx.gateOrder;
  // ONNX block j holds PyTorch block order[j]; put it back.
  const unpermute = (src: Float32Array, cols: number): Float32Array => {
    const out = new Float32Array(src.length);
    order.forEach((torchBlock, onnxBlock) => {
      out.set(src.subarray(onnxBlock * H * cols, (onnxBlock + 1) * H * cols), torchBlock * H * cols);
    });
    return out;
  };
  const params: Record<string, Tensor> = {};
  for (let d = 0; d < nd; d++) {
    const s = d === 0 ? "" : "_reverse";
    const w = W.subarray(d * G * H * D, (d + 1) * G * H * D);
    const r = R.subarray(d * G * H * H, (d + 1) * G * H * H);
    const b = B?.subarray(d * 2 * G * H, (d + 1) * 2 * G * H) ?? new Float32Array(2 * G * H);
    params[`weight_ih${s}`] = { shape: [G * H, D], data: unpermute(w, D) };
    params[`weight_hh${s}`] = { shape: [G * H, H], data: unpermute(r, H) };
    params[`bias_ih${s}`] = { shape: [G * H], data: unpermute(b.subarray(0, G * H), 1) };
    params[`bias_hh${s}`] = { shape: [G * H], data: unpermute(b.subarray(G * H), 1) };
  }
  return params;
}
