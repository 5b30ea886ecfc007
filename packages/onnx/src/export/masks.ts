/**
 * Masks built from a lengths feed (`int32 [B]`). Ops that look across time (frameStack, conv1d, pool, lastStep)
 * must not read padded steps, which may hold anything: the IR says frames outside a sample's valid range read as
 * zeros. The masks are built once per lengths feed from its sequence input's dynamic time dim.
 */
import { DataType } from "../proto/onnx.js";
import type { ExportContext } from "./context.js";

/** The int64 `[T, 1]` step indices 0..T−1 of the time axis masked by `lengths`. */
function steps(ctx: ExportContext, lengths: string): string {
  return ctx.memo(`steps:${lengths}`, () => {
    const input = ctx.model.nodes.find((n) => n.op === "input" && n.lengths === lengths && n.shape.length === 3);
    if (input === undefined) throw new Error(`internal: no sequence input is masked by lengths "${lengths}"`);
    const shape = ctx.op("Shape", [input.id], { start: 0, end: 1 });
    const time = ctx.op("Squeeze", [shape, ctx.int64([0])], {}, undefined, "time");
    const range = ctx.op("Range", [ctx.int64([0], []), time, ctx.int64([1], [])]);
    return ctx.op("Unsqueeze", [range, ctx.int64([1])], {}, undefined, "steps");
  });
}

/** The lengths as int64 `[1, B]`. */
function lengthsRow(ctx: ExportContext, lengths: string): string {
  return ctx.memo(`lengthsRow:${lengths}`, () => {
    const cast = ctx.op("Cast", [lengths], { to: DataType.INT64 });
    return ctx.op("Unsqueeze", [cast, ctx.int64([0])], {}, undefined, "lengthsRow");
  });
}

/** bool `[T, B, 1]`: true where step t < length of sample b. */
export function validMask(ctx: ExportContext, lengths: string): string {
  return ctx.memo(`valid:${lengths}`, () => {
    const less = ctx.op("Less", [steps(ctx, lengths), lengthsRow(ctx, lengths)]);
    return ctx.op("Unsqueeze", [less, ctx.int64([2])], {}, undefined, "validMask");
  });
}

/** bool `[T, B, 1]`: true only at step length−1 of each sample (nowhere for length 0). */
export function lastStepMask(ctx: ExportContext, lengths: string): string {
  return ctx.memo(`last:${lengths}`, () => {
    const last = ctx.op("Sub", [lengthsRow(ctx, lengths), ctx.int64([1], [])]);
    const equal = ctx.op("Equal", [steps(ctx, lengths), last]);
    return ctx.op("Unsqueeze", [equal, ctx.int64([2])], {}, undefined, "lastMask");
  });
}

/** bool `[B, 1]`: true for samples with at least one valid step. */
export function nonEmpty(ctx: ExportContext, lengths: string): string {
  return ctx.memo(`nonEmpty:${lengths}`, () => {
    const greater = ctx.op("Greater", [lengths, ctx.int32([0], [])]);
    return ctx.op("Unsqueeze", [greater, ctx.int64([1])], {}, undefined, "nonEmpty");
  });
}

/** float `[B, 1]`: max(length, 1), the divisor of a masked mean. */
export function lengthDivisor(ctx: ExportContext, lengths: string): string {
  return ctx.memo(`divisor:${lengths}`, () => {
    const cast = ctx.op("Cast", [lengths], { to: DataType.FLOAT });
    const atLeastOne = ctx.op("Max", [cast, ctx.float([1])]);
    return ctx.op("Unsqueeze", [atLeastOne, ctx.int64([1])], {}, undefined, "divisor");
  });
}

/** `x` `[T, B, D]` with padded steps set to zero (unchanged when every step is valid). */
export function zeroPadded(ctx: ExportContext, x: string, lengths: string | undefined): string {
  if (lengths === undefined) return x;
  return ctx.op("Where", [validMask(ctx, lengths), x, ctx.float([0])], {}, undefined, `${x}:masked`);
}
