/**
 * `conv1d`: the time-major input is transposed to Conv's `[B, D, T]`, convolved with the PyTorch-layout weight
 * `[O, D, K]` and transposed back. Padding: causal `[d(K−1), 0]`; same `total = d(K−1)`, left `⌊total/2⌋`, the
 * rest on the right (PyTorch's `padding="same"`).
 */
import type { NodeOf } from "@recurrent/core";
import { activate } from "./activation.js";
import type { ExportContext } from "./context.js";
import { zeroPadded } from "./masks.js";

/** The [left, right] zero padding of the time axis. */
export function convPads(node: NodeOf<"conv1d">): [number, number] {
  const total = node.dilation * (node.kernelSize - 1);
  if (node.padding === "causal") return [total, 0];
  const left = Math.floor(total / 2);
  return [left, total - left];
}

/** Emits Transpose + Conv + Transpose (+ activation) writing the node's value `[T, B, filters]`. */
export function exportConv1d(ctx: ExportContext, node: NodeOf<"conv1d">): void {
  const source = node.inputs[0] as string;
  const D = ctx.shapeOf(source).at(-1) as number;
  const [O, K] = [node.filters, node.kernelSize];
  const weight = ctx.weight(node, "weight", [O, D, K]);
  const inputs = [
    ctx.op("Transpose", [zeroPadded(ctx, source, ctx.lengthsOf(source))], { perm: [1, 2, 0] }),
    ctx.initializer(`${node.id}/weight`, [O, D, K], weight.data),
  ];
  if (node.useBias) inputs.push(ctx.initializer(`${node.id}/bias`, [O], ctx.weight(node, "bias", [O]).data));
  const conv = ctx.op("Conv", inputs, {
    kernel_shape: [K],
    dilations: [node.dilation],
    strides: [1],
    pads: convPads(node),
  });
  const linear = node.activation === "linear" ? node.id : undefined;
  const y = ctx.op("Transpose", [conv], { perm: [2, 0, 1] }, linear);
  activate(ctx, node.activation, y, node.id);
}
