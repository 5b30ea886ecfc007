/** `dropout`: identity at inference (the exported model is an inference model). */
import type { NodeOf } from "@recurrent/core";
import type { ExportContext } from "./context.js";

/** Emits an Identity from the input to the node's value. */
export function exportDropout(ctx: ExportContext, node: NodeOf<"dropout">): void {
  ctx.op("Identity", [node.inputs[0] as string], {}, node.id);
}
