/**
 * `rnn`: one recurrent layer — simple / LSTM / GRU cells, forward / reverse / bidirectional, merges
 * sum / concat / ave / mul, tied directions, returnSequences, initial states (inputs 1 and 2, or fed by key) and
 * final states (outputs `<id>/h`, `<id>/c`, `[directions, B, H]`). The per-direction loop is in `rnn/direction.ts`.
 */
import {
  directionsOf,
  isResetAfter,
  isTied,
  type Merge,
  mergeOf,
  type RnnNode,
  simpleActivationOf,
} from "@recurrent/core";
import type { Kernel, KernelContext } from "../engine/kernel.js";
import type { Tf, TfTensor } from "../tf.js";
import type { Cell, Derive, DirectionWeights } from "./rnn/cell.js";
import { runDirection } from "./rnn/direction.js";
import { gruCell } from "./rnn/gru.js";
import { lstmCell } from "./rnn/lstm.js";
import { simpleCell } from "./rnn/simple.js";

function makeCell(node: RnnNode, ctx: KernelContext, suffix: string): Cell {
  const w: DirectionWeights = {
    wih: ctx.weight(`weight_ih${suffix}`),
    whh: ctx.weight(`weight_hh${suffix}`),
    bih: ctx.weight(`bias_ih${suffix}`),
    bhh: ctx.weight(`bias_hh${suffix}`),
  };
  // Tied directions share the forward direction's derived weights too.
  const derive: Derive = (name, make) => ctx.derive(`${name}${suffix}`, make);
  switch (node.cell) {
    case "lstm":
      return lstmCell(ctx.tf, w, node.units, derive);
    case "gru":
      return gruCell(ctx.tf, w, node.units, isResetAfter(node), derive);
    case "simple":
      return simpleCell(ctx.tf, w, simpleActivationOf(node), derive);
    default:
      return node.cell satisfies never;
  }
}

function merge(tf: Tf, how: Merge, a: TfTensor, b: TfTensor): TfTensor {
  switch (how) {
    case "sum":
      return tf.add(a, b);
    case "concat":
      return tf.concat([a, b], -1);
    case "ave":
      return tf.mul(tf.add(a, b), 0.5);
    case "mul":
      return tf.mul(a, b);
    default:
      return how satisfies never;
  }
}

/** Direction d's `[B, H]` slice of a `[directions, B, H]` state, or zeros. */
function initial(tf: Tf, state: TfTensor | undefined, d: number, B: number, H: number): TfTensor {
  if (state === undefined) return tf.zeros([B, H]);
  return tf.reshape(tf.slice(state, [d, 0, 0], [1, B, H]), [B, H]);
}

export const rnnKernel: Kernel<"rnn"> = (node, [input, h0, c0], ctx) => {
  const { tf } = ctx;
  const x = input!;
  const B = x.shape[1]!;
  const H = node.units;
  const lstm = node.cell === "lstm";
  const lengths = ctx.lengthsOf(node.inputs[0]!);
  // Tied directions read the forward direction's parameters; autodiff adds both directions' gradients.
  const suffixes = directionsOf(node) === 1 ? [""] : isTied(node) ? ["", ""] : ["", "_reverse"];
  const results = suffixes.map((suffix, d) =>
    runDirection(
      tf,
      makeCell(node, ctx, suffix),
      x,
      H,
      node.direction === "reverse" || d === 1,
      initial(tf, h0, d, B, H),
      lstm ? initial(tf, c0, d, B, H) : undefined,
      lengths,
      ctx.chunkSteps,
    ),
  );
  const [first, second] = results;
  const pick = (r: (typeof results)[number]) => (node.returnSequences ? r.y : r.h);
  const main = second === undefined ? pick(first!) : merge(tf, mergeOf(node), pick(first!), pick(second));
  // Inference: the two directions' sequences are O(T) each and nothing reads them after the merge.
  if (ctx.chunkSteps !== undefined && second !== undefined) for (const r of results) r.y.dispose();
  const hState = tf.stack(results.map((r) => r.h));
  if (!lstm) return [main, hState];
  return [main, hState, tf.stack(results.map((r) => r.c!))];
};
