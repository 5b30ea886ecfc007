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

/** The attributes of an ONNX RNN / LSTM / GRU node that the IR can express. */
export interface RecurrentAttributes {
  readonly cell: Cell;
  readonly direction: Direction;
  readonly nd: 1 | 2;
  /** `hidden_size`, when given. */
  readonly hiddenSize: number | undefined;
  /** RNN only: the nonlinearity given in `activations` (the same for both directions). */
  readonly simpleActivation: "tanh" | "relu" | undefined;
}

/**
 * Reads and checks a recurrent node's attributes.
 * @throws Error (wrapped by the importer into an error naming the node) for `layout=1`, `clip`, `input_forget`,
 *   an unknown direction or activations the IR cannot express.
 */
export function readRecurrentAttributes(node: DecodedNode): RecurrentAttributes {
  const { attrs } = node;
  const cell = CELL_OF_OP[node.opType] as PendingRnn["cell"];
  if (((attrs.get("layout") as number | undefined) ?? 0) !== 0) {
    throw new Error("layout=1 (batch-major) is refused: the IR is time-major; export with layout 0");
  }
  if (attrs.has("clip")) throw new Error("`clip` has no IR form");
  if (((attrs.get("input_forget") as number | undefined) ?? 0) !== 0) throw new Error("input_forget=1 has no IR form");
  const H = attrs.get("hidden_size") as number | undefined;
  const dirAttr = ((attrs.get("direction") as string | undefined) ?? "forward") as string;
  if (!["forward", "reverse", "bidirectional"].includes(dirAttr)) throw new Error(`direction "${dirAttr}" is unknown`);
  const direction = dirAttr as PendingRnn["direction"];
  const nd = direction === "bidirectional" ? 2 : 1;
  const acts = ((attrs.get("activations") as string[] | undefined) ?? []).map((a) => a.toLowerCase());
  const defaults = { simple: ["tanh"], lstm: ["sigmoid", "tanh", "tanh"], gru: ["sigmoid", "tanh"] }[cell];
  let simpleAct: "tanh" | "relu" | undefined;
  for (let d = 0; d < (acts.length ? nd : 0); d++) {
    const mine = acts.slice(d * defaults.length, (d + 1) * defaults.length);
    if (cell === "simple" && (mine[0] === "relu" || mine[0] === "tanh") && (simpleAct ?? mine[0]) === mine[0]) {
      simpleAct = mine[0];
    } else if (cell === "simple" || mine.join() !== defaults.join()) {
      throw new Error(`activations [${acts.join(", ")}] have no IR form`);
    }
  }
  return { cell, direction, nd, hiddenSize: H, simpleActivation: simpleAct };
}
