/**
 * `conv1d`: the time-major input is transposed to Conv's `[B, D, T]`, convolved with the PyTorch-layout weight
 * `[O, D, K]` and transposed back. Strides and pads are core's (`strideOf`, `convPads`): causal `[d(K−1), 0]`;
 * same `total = d(K−1)`, `⌊total/2⌋` before and the rest after (PyTorch's `padding="same"`); valid `[0, 0]`. So
 * ONNX's output length `⌊(T + pads − d(K−1) − 1) / stride⌋ + 1` is core's `outputSteps`.
 */
import { convPads, type NodeOf, strideOf } from "@recurrent/core";
import { activate } from "./activation.js";
import type { ExportContext } from "./context.js";
import { zeroPadded } from "./masks.js";

/** Emits Transpose + Conv + Transpose (+ activation) writing the node's value `[T', B, filters]`. */
export function exportConv1d(ctx: ExportContext, node: NodeOf<"conv1d">): void {
  const source = node.inputs[0] as string;
  const D = ctx.shapeOf(source).at(-1) as number;
  const [O, K] = [node.filters, node.kernelSize];
  const weight = ctx.weight(node, "weight", [O, D, K]);
  const inputs = [
    // A conv that changes T reads an input without lengths (validation), so only stride-1 convs mask here.
    ctx.op("Transpose", [zeroPadded(ctx, source, ctx.lengthsOf(source))], { perm: [1, 2, 0] }),
    ctx.initializer(`${node.id}/weight`, [O, D, K], weight.data),
  ];
  if (node.useBias) inputs.push(ctx.initializer(`${node.id}/bias`, [O], ctx.weight(node, "bias", [O]).data));
  const { before, after } = convPads(node);
  const conv = ctx.op("Conv", inputs, {
    kernel_shape: [K],
    dilations: [node.dilation],
    strides: [strideOf(node)],
    pads: [before, after],
  });
  const linear = node.activation === "linear" ? node.id : undefined;
  const y = ctx.op("Transpose", [conv], { perm: [2, 0, 1] }, linear);
  activate(ctx, node.activation, y, node.id);
}
