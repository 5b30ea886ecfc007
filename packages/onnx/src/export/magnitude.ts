/**
 * `magnitude`: `[..., 2n]` → `[..., n]`, `Sqrt(Pow(x[..., :n], 2) + Pow(x[..., n:], 2))`: Slice on the last axis,
 * the form Silero VAD's ONNX file has (the importer reads it back as `magnitude`). Per frame, so a masked sequence
 * keeps its lengths (padded frames hold whatever the input held there).
 */
import type { NodeOf } from "@recurrent/core";
import type { ExportContext } from "./context.js";

/** Emits Slice, Slice, Pow, Pow, Add, Sqrt writing the node's value. */
export function exportMagnitude(ctx: ExportContext, node: NodeOf<"magnitude">): void {
  const x = node.inputs[0] as string;
  const n = (ctx.shapeOf(x).at(-1) as number) / 2;
  const lastAxis = ctx.int64([-1]);
  const two = ctx.float([2]);
  const half = (start: number, end: number, hint: string) => {
    const part = ctx.op("Slice", [x, ctx.int64([start]), ctx.int64([end]), lastAxis], {}, undefined, hint);
    return ctx.op("Pow", [part, two], {}, undefined, `${hint}²`);
  };
  const sum = ctx.op("Add", [half(0, n, `${node.id}:re`), half(n, 2 * n, `${node.id}:im`)]);
  ctx.op("Sqrt", [sum], {}, node.id);
}
