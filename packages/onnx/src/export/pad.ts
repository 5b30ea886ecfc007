/**
 * `pad`: ONNX `Pad` on axis 0 (time) of `[T, B, D]`, pads `[before, 0, 0, after, 0, 0]` as an int64 input (the
 * form every opset from 11 reads), mode `constant` (value 0) or `reflect` (ONNX's reflect = the IR's: the edge frame
 * is not repeated). Nothing added: an Identity, which keeps the input's lengths. onnxruntime refuses a reflect pad
 * wider than T − 1, as the IR's runtime does (FEED_SHAPE on the other backends).
 */
import type { NodeOf } from "@recurrent/core";
import type { ExportContext } from "./context.js";

/** Emits the Pad (or Identity) writing the node's value `[T + before + after, B, D]`. */
export function exportPad(ctx: ExportContext, node: NodeOf<"pad">): void {
  const x = node.inputs[0] as string;
  if (node.before + node.after === 0) {
    ctx.op("Identity", [x], {}, node.id);
    return;
  }
  const pads = ctx.int64([node.before, 0, 0, node.after, 0, 0]);
  ctx.op("Pad", [x, pads], { mode: node.mode === "reflect" ? "reflect" : "constant" }, node.id);
}
