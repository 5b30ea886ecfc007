/**
 * `repeat`: a vector `[B, D]` unsqueezed to `[1, B, D]` and Expanded over time, to `steps` or to the time dim of
 * the `like` input (read with Shape, so T stays dynamic).
 */
import type { NodeOf } from "@recurrent/core";
import type { ExportContext } from "./context.js";

/** Emits Unsqueeze + Expand writing the node's value `[T, B, D]`. */
export function exportRepeat(ctx: ExportContext, node: NodeOf<"repeat">): void {
  const [v, like] = node.inputs as [string, string | undefined];
  const row = ctx.op("Unsqueeze", [v, ctx.int64([0])]);
  let shape: string;
  if (like === undefined || like === "") shape = ctx.int64([node.steps as number, 1, 1]);
  else {
    const time = ctx.op("Shape", [like], { start: 0, end: 1 });
    shape = ctx.op("Concat", [time, ctx.int64([1, 1])], { axis: 0 });
  }
  ctx.op("Expand", [row, shape], {}, node.id);
}
