/**
 * `frameStack`: Pad the (zero-masked) time axis by left/right frames, take one Slice per offset and Concat them
 * on the features, oldest first. No Shape ops: the slice ends are relative to the padded end.
 */
import type { NodeOf } from "@recurrent/core";
import type { ExportContext } from "./context.js";
import { zeroPadded } from "./masks.js";

const INT64_MAX = 9223372036854775807n;

/** Emits Pad + Slice × (left+right+1) + Concat writing the node's value `[T, B, (left+right+1)·D]`. */
export function exportFrameStack(ctx: ExportContext, node: NodeOf<"frameStack">): void {
  const source = node.inputs[0] as string;
  const x = zeroPadded(ctx, source, ctx.lengthsOf(source));
  const span = node.left + node.right;
  if (span === 0) {
    ctx.op("Identity", [x], {}, node.id);
    return;
  }
  const padded = ctx.op("Pad", [x, ctx.int64([node.left, 0, 0, node.right, 0, 0])], { mode: "constant" });
  const frames: string[] = [];
  for (let k = 0; k <= span; k++) {
    const end = k === span ? INT64_MAX : k - span;
    frames.push(ctx.op("Slice", [padded, ctx.int64([k]), ctx.int64([end]), ctx.int64([0])]));
  }
  ctx.op("Concat", frames, { axis: 2 }, node.id);
}
