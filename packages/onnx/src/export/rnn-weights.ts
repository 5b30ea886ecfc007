/**
 * Packs an `rnn` node's PyTorch-layout parameters into ONNX's W `[nd, G·H, D]`, R `[nd, G·H, H]` and
 * B `[nd, 2·G·H]` = [Wb, Rb] per direction. Gate blocks are permuted from PyTorch's order to ONNX's: LSTM
 * i,f,g,o → i,o,f,c and GRU r,z,n → z,r,h (torch.onnx symbolic_opset9 `_generic_rnn`). Tied directions are
 * written twice.
 */
import { CELL_SPECS, directionsOf, gatesOf, isTied, type NodeOf } from "@recurrent/core";
import type { ExportContext } from "./context.js";

/** Rows `[G·H, cols]` (or a vector when cols = 1) with gate blocks of H rows reordered by `perm`. */
export function permuteGates(data: Float32Array, perm: readonly number[], H: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  const block = H * cols;
  perm.forEach((src, dst) => {
    out.set(data.subarray(src * block, (src + 1) * block), dst * block);
  });
  return out;
}

/** Names of the W, R and B initializers of one `rnn` node. */
export interface RnnWeights {
  readonly W: string;
  readonly R: string;
  readonly B: string;
}

/** Checks, permutes and stacks the node's weights; `D` is the input feature size. */
export function packRnnWeights(ctx: ExportContext, node: NodeOf<"rnn">, D: number): RnnWeights {
  const H = node.units;
  const G = gatesOf(node.cell);
  const perm = CELL_SPECS[node.cell].onnx.gateOrder;
  const suffixes = directionsOf(node) === 1 ? [""] : isTied(node) ? ["", ""] : ["", "_reverse"];
  const nd = suffixes.length;
  const W = new Float32Array(nd * G * H * D);
  const R = new Float32Array(nd * G * H * H);
  const B = new Float32Array(nd * 2 * G * H);
  suffixes.forEach((s, d) => {
    const wih = ctx.weight(node, `weight_ih${s}`, [G * H, D]).data;
    const whh = ctx.weight(node, `weight_hh${s}`, [G * H, H]).data;
    const bih = ctx.weight(node, `bias_ih${s}`, [G * H]).data;
    const bhh = ctx.weight(node, `bias_hh${s}`, [G * H]).data;
    W.set(permuteGates(wih, perm, H, D), d * G * H * D);
    R.set(permuteGates(whh, perm, H, H), d * G * H * H);
    B.set(permuteGates(bih, perm, H, 1), d * 2 * G * H);
    B.set(permuteGates(bhh, perm, H, 1), (d * 2 + 1) * G * H);
  });
  return {
    W: ctx.initializer(`${node.id}/W`, [nd, G * H, D], W),
    R: ctx.initializer(`${node.id}/R`, [nd, G * H, H], R),
    B: ctx.initializer(`${node.id}/B`, [nd, 2 * G * H], B),
  };
}
