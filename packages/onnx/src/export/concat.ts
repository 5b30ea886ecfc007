/** `concat`: ONNX Concat on the last (feature) axis. */
import type { NodeOf } from "@recurrent/core";
import type { ExportContext } from "./context.js";

/** Emits Concat(axis −1) writing the node's value. */
export function exportConcat(ctx: ExportContext, node: NodeOf<"concat">): void {
  ctx.op("Concat", node.inputs, { axis: -1 }, node.id);
}
