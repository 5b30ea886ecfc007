/**
 * The model a user asks for with `train --data`: `--model ffn|rnn|lstm|gru`, `--hidden`, `--layers`,
 * `--direction`, `--merge` (and `--context` for the FFN's window). Reads `"frames"` `[T, B, 39]`, returns `"out"`
 * `[T, B, classes]` logits, like the zoo.
 */
import {
  assertValid,
  dense,
  frameStack,
  input,
  type LayerNode,
  rnn,
  sequential,
  type ValidModel,
} from "@recurrent/core";
import { INPUT, OUTPUT } from "../models.js";

export const ARCHITECTURES = ["ffn", "rnn", "lstm", "gru"] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** What `train --data` builds. */
export interface ArchitectureOptions {
  readonly kind: Architecture;
  /** Units per hidden layer (per direction for a bidirectional layer). */
  readonly hidden: number;
  readonly layers: number;
  readonly direction: "forward" | "bidirectional";
  readonly merge: "sum" | "concat";
  /** FFN: frames on each side of the centre frame (window 2·context + 1). */
  readonly context: number;
}

/**
 * The graph: FFN = frameStack(±context) → `layers` × dense(hidden, relu) → dense(classes); recurrent = `layers`
 * stacked recurrences of `hidden` units → dense(classes).
 * @throws IrError from validation (e.g. a merge on a forward layer never happens: merge is only set when
 *   bidirectional).
 */
export function buildArchitecture(o: ArchitectureOptions, inputs: number, classes: number): ValidModel {
  const layers: LayerNode[] = [];
  if (o.kind === "ffn") {
    layers.push(frameStack("window", { left: o.context, right: o.context }));
    for (let l = 0; l < o.layers; l++) layers.push(dense(`hidden${l + 1}`, { units: o.hidden, activation: "relu" }));
  } else {
    const cell = o.kind === "rnn" ? "simple" : o.kind;
    for (let l = 0; l < o.layers; l++) {
      layers.push(
        rnn(`${o.kind}${l + 1}`, {
          cell,
          units: o.hidden,
          direction: o.direction,
          ...(o.direction === "bidirectional" ? { merge: o.merge } : {}),
        }),
      );
    }
  }
  layers.push(dense(OUTPUT, { units: classes }));
  const x = { ...input(INPUT, 0), shape: ["time", "batch", inputs] as const };
  return assertValid(sequential(describeArchitecture(o), [x, ...layers]));
}

/** A short name, e.g. `blstm-sum-2x128` or `ffn-41x2x140`. */
export function describeArchitecture(o: ArchitectureOptions): string {
  if (o.kind === "ffn") return `ffn-${2 * o.context + 1}x${o.layers}x${o.hidden}`;
  const bi = o.direction === "bidirectional" ? `b${o.kind}-${o.merge}` : o.kind;
  return `${bi}-${o.layers}x${o.hidden}`;
}

/** Whether it can stream (forward recurrences only). */
export function streamableArchitecture(o: ArchitectureOptions): boolean {
  return o.kind !== "ffn" && o.direction === "forward";
}
