/**
 * `rnn`: one native ONNX RNN / LSTM / GRU node (never an unrolled loop). The input's lengths feed is its
 * `sequence_lens`; initial states that are not wired become graph inputs `<id>/h_0`, `<id>/c_0` (see
 * {@link stateInputName}); final states are the values `<id>/h`, `<id>/c` (zeros for a sample of length 0, as in
 * onnxruntime and backend-js).
 */
import { BATCH, directionsOf, isResetAfter, type NodeOf, simpleActivationOf, stateOutputs } from "@recurrent/core";
import { DataType } from "../proto/onnx.js";
import type { Attrs, ExportContext } from "./context.js";
import { mergeFinal, mergeSequences } from "./rnn-merge.js";
import { packRnnWeights } from "./rnn-weights.js";

const OP_TYPE = { simple: "RNN", lstm: "LSTM", gru: "GRU" } as const;

/** The graph-input name of an `rnn` node's initial state (users feed it as `<id>/h` / `<id>/c`). */
export function stateInputName(rnnId: string, state: "h" | "c"): string {
  return `${rnnId}/${state}_0`;
}

/** `[1, B, 1]` int64, the shape an all-zero default state is broadcast to for the batch of `x`. */
function batchShape(ctx: ExportContext, x: string): string {
  return ctx.memo(`batchShape:${x}`, () => {
    const b = ctx.op("Shape", [x], { start: 1, end: 2 });
    return ctx.op("Concat", [ctx.int64([1]), b, ctx.int64([1])], { axis: 0 }, undefined, "batchShape");
  });
}

/** The initial state for input slot `slot` (1: h, 2: c): the wired value, or a new graph input. */
function initialState(ctx: ExportContext, node: NodeOf<"rnn">, slot: 1 | 2, x: string): string {
  const wired = node.inputs[slot];
  if (wired !== undefined && wired !== "") return wired;
  const name = stateInputName(node.id, slot === 1 ? "h" : "c");
  const nd = directionsOf(node);
  ctx.addInput(name, DataType.FLOAT, [nd, BATCH, node.units]);
  if (ctx.initialStates === "required") return name;
  ctx.namedInitializer(name, [nd, 1, node.units], new Float32Array(nd * node.units));
  return ctx.op("Expand", [name, batchShape(ctx, x)], {}, undefined, `${name}:expanded`);
}

/** Emits the recurrent op and the merge of its main output. */
export function exportRnn(ctx: ExportContext, node: NodeOf<"rnn">): void {
  const x = node.inputs[0] as string;
  const { W, R, B } = packRnnWeights(ctx, node, ctx.shapeOf(x).at(-1) as number);
  const states = [initialState(ctx, node, 1, x)];
  if (node.cell === "lstm") states.push(initialState(ctx, node, 2, x));

  const attrs: Record<string, Attrs[string]> = { hidden_size: node.units, direction: node.direction };
  if (node.cell === "gru") attrs.linear_before_reset = isResetAfter(node) ? 1 : 0;
  if (node.cell === "simple" && simpleActivationOf(node) === "relu") {
    attrs.activations = Array<string>(directionsOf(node)).fill("Relu");
  }

  // Final states as onnxruntime defines them, like backend-js: zeros for a sample of length 0.
  const finals = stateOutputs(node);
  const Y = node.returnSequences ? ctx.fresh(`${node.id}/Y`) : "";
  ctx.emit(OP_TYPE[node.cell], [x, W, R, B, ctx.lengthsOf(x) ?? "", ...states], [Y, ...finals], attrs);
  if (node.returnSequences) mergeSequences(ctx, node, Y);
  else mergeFinal(ctx, node, finals[0] as string);
}
