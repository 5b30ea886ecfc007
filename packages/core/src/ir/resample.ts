/**
 * Ops that change the time axis: a strided or `valid` conv1d, and `pad`. Their frame arithmetic lives here once,
 * so validation, every backend and the exporters agree on which input frame feeds which output frame.
 */
import type { Conv1dNode, PadNode } from "./nodes.js";

/** Frames a conv1d adds before and after the sequence (zeros) before it slides its kernel. */
export interface ConvPads {
  readonly before: number;
  readonly after: number;
}

/** A conv1d's step between output frames (1 when unset). */
export function strideOf(node: Conv1dNode): number {
  return node.stride ?? 1;
}

/** A conv1d's receptive field in input frames: `dilation·(kernelSize − 1) + 1`. */
export function receptiveField(node: Conv1dNode): number {
  return node.dilation * (node.kernelSize - 1) + 1;
}

/**
 * The zero frames a conv1d reads before frame 0 and after frame T−1: `same` centres the field (the extra frame of
 * an even field goes after), `causal` looks only back, `valid` adds nothing.
 */
export function convPads(node: Conv1dNode): ConvPads {
  const span = receptiveField(node) - 1;
  switch (node.padding) {
    case "same": {
      const before = Math.floor(span / 2);
      return { before, after: span - before };
    }
    case "causal":
      return { before: span, after: 0 };
    case "valid":
      return { before: 0, after: 0 };
  }
}

/** Whether the node's output has another number of steps than its input (so it needs an input without lengths). */
export function changesTime(node: Conv1dNode | PadNode): boolean {
  if (node.op === "pad") return node.before + node.after > 0;
  const { before, after } = convPads(node);
  return strideOf(node) > 1 || before + after !== receptiveField(node) - 1;
}

/**
 * Output steps of a conv1d or pad for an input of `steps` frames: `floor((T + before + after − field) / stride) + 1`
 * for a conv, `T + before + after` for a pad. Below 1 when the input is shorter than a conv's field (the caller
 * reports it, naming the node: see {@link minInputSteps}).
 */
export function outputSteps(node: Conv1dNode | PadNode, steps: number): number {
  if (node.op === "pad") return steps + node.before + node.after;
  const { before, after } = convPads(node);
  return Math.floor((steps + before + after - receptiveField(node)) / strideOf(node)) + 1;
}

/**
 * The fewest input steps the node accepts: a conv needs its field to fit once (after padding); a reflect pad needs
 * `before` and `after` frames to mirror besides the edge frame (`max(before, after) + 1`); a zero pad takes any.
 */
export function minInputSteps(node: Conv1dNode | PadNode): number {
  if (node.op === "pad") return node.mode === "reflect" ? Math.max(node.before, node.after) + 1 : 0;
  const { before, after } = convPads(node);
  return Math.max(1, receptiveField(node) - before - after);
}

/** The time symbol of a time-changing node's output when its input's time is a symbol: `"<id>.time"`. */
export function derivedTime(node: Conv1dNode | PadNode): string {
  return `${node.id}.time`;
}
