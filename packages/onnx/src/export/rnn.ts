/**
 * `rnn`: one native ONNX RNN / LSTM / GRU node (never an unrolled loop). The input's lengths feed is its
 * `sequence_lens`; initial states that are not wired become graph inputs `<id>/h_0`, `<id>/c_0` (see
 * {@link stateInputName}); final states are the values `<id>/h`, `<id>/c` (zeros for a sample of length 0, as in
 * onnxruntime and backend-js).
 */
import {
  BATCH,
  CELL_SPECS,
  directionsOf,
  isResetAfter,
  type NodeOf,
  type StateName,
  simpleActivationOf,
  stateOutputs,
} from "@recurrent/core";
import { DataType } from "../proto/onnx.js";
import type { Attrs, ExportContext } from "./context.js";
import { mergeFinal, mergeSequences } from "./rnn-merge.js";
import { packRnnWeights } from "./rnn-weights.js";

/**
 * The graph-input name of an `rnn` node's initial state: `<rnnId>/h_0` / `<rnnId>/c_0` (PyTorch's `h_0`, `c_0`).
 * It pairs with the final-state output `<rnnId>/h` / `<rnnId>/c`: feed one chunk's `<rnnId>/h` to the next chunk's
 * `<rnnId>/h_0`. Recurrent's own feeds use the output name (`<rnnId>/h`) for both.
 */
export function stateInputName(rnnId: string, state: StateName): string {
  return `${rnnId}/${state}_0`;
}

/**
 * The initial state for input slot `slot` (1: h, 2: c): the wired value, or a new plain graph input with no
 * initializer. An initializer-backed ("optional") input would be hidden by onnxruntime-node and onnxruntime-web,
 * which then ignore a fed value without an error, so a file that streams everywhere must not have one.
 */
function initialState(ctx: ExportContext, node: NodeOf<"rnn">, slot: number, state: StateName): string {
  const wired = node.inputs[slot];
  if (wired !== undefined && wired !== "") return wired;
  const name = stateInputName(node.id, state);
  ctx.addInput(name, DataType.FLOAT, [directionsOf(node), BATCH, node.units]);
  return name;
}

/** Emits the recurrent op and the merge of its main output. */
export function exportRnn(ctx: ExportContext, node: NodeOf<"rnn">): void {
  const x = node.inputs[0] as string;
  const { W, R, B } = packRnnWeights(ctx, node, ctx.shapeOf(x).at(-1) as number);
  const cell = CELL_SPECS[node.cell];
  const states = cell.states.map((state, i) => initialState(ctx, node, i + 1, state));

  const attrs: Record<string, Attrs[string]> = { hidden_size: node.units, direction: node.direction };
  if (node.cell === "gru") attrs.linear_before_reset = isResetAfter(node) ? 1 : 0;
  if (node.cell === "simple" && simpleActivationOf(node) === "relu") {
    attrs.activations = Array<string>(directionsOf(node)).fill("Relu");
  }

  // Final states as onnxruntime defines them, like backend-js: zeros for a sample of length 0.
  const finals = stateOutputs(node);
  const Y = node.returnSequences ? ctx.fresh(`${node.id}/Y`) : "";
  ctx.emit(cell.onnx.op, [x, W, R, B, ctx.lengthsOf(x) ?? "", ...states], [Y, ...finals], attrs);
  if (node.returnSequences) mergeSequences(ctx, node, Y);
  else mergeFinal(ctx, node, finals[0] as string);
}
