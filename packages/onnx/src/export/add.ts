/** `add`: ONNX Sum, which takes any number of inputs of one shape. */
import type { NodeOf } from "@recurrent/core";
import type { ExportContext } from "./context.js";

/** Emits Sum writing the node's value. */
export function exportAdd(ctx: ExportContext, node: NodeOf<"add">): void {
  ctx.op("Sum", node.inputs, {}, node.id);
}
