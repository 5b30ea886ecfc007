/**
 * `input`: a float graph input with the IR's dims (symbols become `dim_param`s, so time and batch stay dynamic);
 * a sequence input's lengths feed becomes an int32 `[batch]` graph input of the same name, declared once.
 */
import { BATCH, type NodeOf } from "@recurrent/core";
import { DataType } from "../proto/onnx.js";
import type { ExportContext } from "./context.js";

/** Declares the graph input (and its lengths input). */
export function exportInput(ctx: ExportContext, node: NodeOf<"input">): void {
  ctx.addInput(node.id, DataType.FLOAT, node.shape);
  const lengths = ctx.lengthsOf(node.id);
  if (lengths !== undefined && !ctx.inputs.some((i) => i.name === lengths)) {
    ctx.addInput(lengths, DataType.INT32, [BATCH]);
  }
}
