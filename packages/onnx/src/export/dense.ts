/**
 * `dense`: MatMul with the weight stored transposed `[I, O]` (broadcast over `[T, B, I]` or `[B, I]`; Gemm would
 * need 2-D input), then Add of the bias and the activation.
 */
import type { NodeOf } from "@recurrent/core";
import { activate } from "./activation.js";
import type { ExportContext } from "./context.js";

/** Transposes a row-major `[rows, cols]` matrix. */
export function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c] as number;
  return out;
}

/** Emits MatMul (+ Add) (+ activation) writing the node's value. */
export function exportDense(ctx: ExportContext, node: NodeOf<"dense">): void {
  const x = node.inputs[0] as string;
  const I = ctx.shapeOf(x).at(-1) as number;
  const O = node.units;
  const weight = ctx.weight(node, "weight", [O, I]);
  const w = ctx.initializer(`${node.id}/weight:t`, [I, O], transpose2d(weight.data, O, I));
  const linear = node.activation === "linear" ? node.id : undefined;
  let y = ctx.op("MatMul", [x, w], {}, node.useBias ? undefined : linear);
  if (node.useBias) {
    const bias = ctx.weight(node, "bias", [O]);
    y = ctx.op("Add", [y, ctx.initializer(`${node.id}/bias`, [O], bias.data)], {}, linear);
  }
  activate(ctx, node.activation, y, node.id);
}
