/**
 * `pad`: `before` frames in front of the time axis and `after` behind → `[T + before + after, B, D]`, zeros or a
 * reflection without the edge frame (`x[−j] = x[j]`, `x[T−1+j] = x[T−1−j]`: ONNX / PyTorch `reflect`). A sequence
 * is time-major, so each frame is one contiguous block of `B·D` floats and padding is a copy of whole blocks.
 */
import { BackendError, changesTime, minInputSteps } from "@recurrent/core";
import { Buffers } from "../engine/buffers.js";
import type { Kernel } from "../engine/kernel.js";
import type { Value } from "../engine/value.js";

/** The input frame that output frame `j` copies, or −1 for a zero frame. */
export function padSource(j: number, before: number, T: number, reflect: boolean): number {
  const s = j - before;
  if (s >= 0 && s < T) return s;
  if (!reflect) return -1;
  return s < 0 ? -s : 2 * (T - 1) - s;
}

export const padKernel: Kernel<"pad"> = (node) => {
  const { before, after } = node;
  const reflect = node.mode === "reflect";
  const bufs = new Buffers();
  let x: Value | undefined;
  return {
    forward([input]) {
      x = input!;
      // Nothing added: the value passes through (values are immutable), lengths included.
      if (!changesTime(node)) return [x];
      const [T, B, D] = x.shape as [number, number, number];
      const least = minInputSteps(node);
      if (T < least) {
        throw new BackendError(
          "FEED_SHAPE",
          `pad "${node.id}": its input has ${T} steps, fewer than the ${least} that ${node.mode} padding of ${before} before and ${after} after needs`,
          node.id,
        );
      }
      const Tout = T + before + after;
      const frame = B * D;
      const out = bufs.get("y", Tout * frame);
      const xd = x.data;
      for (let j = 0; j < Tout; j++) {
        const s = padSource(j, before, T, reflect);
        const dst = j * frame;
        if (s < 0) out.fill(0, dst, dst + frame);
        else for (let i = 0, src = s * frame; i < frame; i++) out[dst + i] = xd[src + i]!;
      }
      return [{ shape: [Tout, B, D], data: out, lengths: undefined }];
    },
    backward([dy], ctx) {
      const dx = ctx.inputGrad(0);
      if (dy === undefined || dx === undefined || x === undefined) return;
      if (!changesTime(node)) {
        for (let i = 0; i < dx.length; i++) dx[i] = dx[i]! + dy[i]!;
        return;
      }
      const [T, B, D] = x.shape as [number, number, number];
      const frame = B * D;
      for (let j = 0; j < T + before + after; j++) {
        const s = padSource(j, before, T, reflect);
        if (s < 0) continue;
        for (let i = 0, src = j * frame, dst = s * frame; i < frame; i++) dx[dst + i] = dx[dst + i]! + dy[src + i]!;
      }
    },
  };
};
