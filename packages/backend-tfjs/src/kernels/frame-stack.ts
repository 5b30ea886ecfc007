/**
 * `frameStack`: `y[t, b] = [x[t−left, b], …, x[t+right, b]]`, oldest first → `[T, B, (left+right+1)·D]`.
 * Frames outside a sample's `0..L−1` read as zeros.
 */
import type { Kernel } from "../engine/kernel.js";
import { temporalWindow } from "./window.js";

export const frameStackKernel: Kernel<"frameStack"> = (node, [x], ctx) => {
  const offsets = Array.from({ length: node.left + node.right + 1 }, (_, j) => j - node.left);
  return [temporalWindow(ctx.tf, x!, offsets, ctx.lengthsOf(node.inputs[0]!))];
};
