/**
 * `rnn`: one recurrent layer — simple / LSTM / GRU cells, forward / reverse / bidirectional, merges
 * sum / concat / ave / mul, tied directions, returnSequences, initial states (inputs 1 and 2) and final
 * states (outputs `<id>/h`, `<id>/c`, `[directions, B, H]`). The per-direction work is in `rnn/*.ts`.
 */
import { directionsOf, isResetAfter, isTied, mergeOf, simpleActivationOf } from "@recurrent/core";
import { Buffers } from "../engine/buffers.js";
import type { Kernel } from "../engine/kernel.js";
import type { Value } from "../engine/value.js";
import type { Direction, OutputGrad, ParamGrads, Sequence } from "./rnn/direction.js";
import { GruDirection } from "./rnn/gru.js";
import { LstmDirection } from "./rnn/lstm.js";
import { SimpleDirection } from "./rnn/simple.js";
import type { DirectionWeights } from "./rnn/weights.js";

export const rnnKernel: Kernel<"rnn"> = (node, env) => {
  const H = node.units;
  const dirs = directionsOf(node);
  const merge = mergeOf(node);
  const D = env.inputShapes[0]!.at(-1) as number;
  // Tied directions read (and accumulate gradients into) the forward direction's parameters.
  const suffixes = dirs === 1 ? [""] : isTied(node) ? ["", ""] : ["", "_reverse"];
  const runners: Direction[] = suffixes.map((suffix) => {
    const w: DirectionWeights = {
      wih: env.weight(`weight_ih${suffix}`),
      whh: env.weight(`weight_hh${suffix}`),
      bih: env.weight(`bias_ih${suffix}`),
      bhh: env.weight(`bias_hh${suffix}`),
    };
    switch (node.cell) {
      case "lstm":
        return new LstmDirection(w, D, H, env.frozen);
      case "gru":
        return new GruDirection(w, D, H, isResetAfter(node), env.frozen);
      case "simple":
        return new SimpleDirection(w, D, H, simpleActivationOf(node), env.frozen);
      default:
        return node.cell satisfies never;
    }
  });
  const reverseOf = (d: number) => node.direction === "reverse" || d === 1;
  const bufs = new Buffers();
  let seq: Sequence | undefined;

  /** Joins per-direction rows (`rows × H` each) with the node's merge. */
  function merged(parts: Float32Array[], rows: number, name: string): Float32Array {
    if (dirs === 1) return parts[0]!;
    const [a, b] = parts as [Float32Array, Float32Array];
    if (merge === "concat") {
      const out = bufs.get(name, rows * 2 * H);
      for (let r = 0; r < rows; r++) {
        out.set(a.subarray(r * H, (r + 1) * H), r * 2 * H);
        out.set(b.subarray(r * H, (r + 1) * H), r * 2 * H + H);
      }
      return out;
    }
    const n = rows * H;
    const out = bufs.get(name, n);
    if (merge === "sum") for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!;
    else if (merge === "ave") for (let i = 0; i < n; i++) out[i] = (a[i]! + b[i]!) * 0.5;
    else for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!;
    return out;
  }

  /** d loss / d direction d's rows, from d loss / d merged rows. */
  function split(dOut: Float32Array, parts: Float32Array[], d: number, rows: number): OutputGrad {
    if (dirs === 1 || merge === "sum") return { data: dOut, off: 0, ld: H };
    if (merge === "concat") return { data: dOut, off: d * H, ld: 2 * H };
    const n = rows * H;
    const out = bufs.get(`split${d}`, n);
    if (merge === "ave") for (let i = 0; i < n; i++) out[i] = dOut[i]! * 0.5;
    else {
      const other = parts[1 - d]!;
      for (let i = 0; i < n; i++) out[i] = dOut[i]! * other[i]!;
    }
    return { data: out, off: 0, ld: H };
  }

  function stack(parts: Float32Array[], B: number, name: string): Float32Array {
    if (dirs === 1) return parts[0]!;
    const out = bufs.get(name, dirs * B * H);
    parts.forEach((p, d) => {
      out.set(p, d * B * H);
    });
    return out;
  }

  return {
    forward([x, h0, c0], ctx) {
      const [T, B] = x!.shape as [number, number, number];
      seq = { x: x!.data, T, B, D, lengths: x!.lengths };
      runners.forEach((r, d) => {
        const off = d * B * H;
        r.forward(seq!, reverseOf(d), { data: h0?.data, off }, { data: c0?.data, off }, ctx.record);
      });
      const Hout = merge === "concat" && dirs === 2 ? 2 * H : H;
      const main: Value = node.returnSequences
        ? {
            shape: [T, B, Hout],
            data: merged(
              runners.map((r) => r.y),
              T * B,
              "y",
            ),
            lengths: x!.lengths,
          }
        : {
            shape: [B, Hout],
            data: merged(
              runners.map((r) => r.h),
              B,
              "last",
            ),
            lengths: undefined,
          };
      const hState: Value = {
        shape: [dirs, B, H],
        data: stack(
          runners.map((r) => r.h),
          B,
          "hN",
        ),
        lengths: undefined,
      };
      if (node.cell !== "lstm") return [main, hState];
      const cs = runners.map((r) => r.c!);
      return [main, hState, { shape: [dirs, B, H], data: stack(cs, B, "cN"), lengths: undefined }];
    },
    backward([dMain, dH, dC], ctx) {
      const s = seq!;
      const { T, B } = s;
      const n = B * H;
      const dx = ctx.inputGrad(0);
      const dh0 = ctx.inputGrad(1);
      const dc0 = node.cell === "lstm" ? ctx.inputGrad(2) : undefined;
      const grads: ParamGrads[] = suffixes.map((suffix) => ({
        wih: ctx.weightGrad(`weight_ih${suffix}`),
        whh: ctx.weightGrad(`weight_hh${suffix}`),
        bih: ctx.weightGrad(`bias_ih${suffix}`),
        bhh: ctx.weightGrad(`bias_hh${suffix}`),
      }));
      const ys = runners.map((r) => r.y);
      const hs = runners.map((r) => r.h);
      runners.forEach((r, d) => {
        let dy: OutputGrad | undefined;
        let dhN = dH?.subarray(d * n, (d + 1) * n);
        if (dMain !== undefined && node.returnSequences) dy = split(dMain, ys, d, T * B);
        else if (dMain !== undefined) {
          const g = split(dMain, hs, d, B);
          const sum = bufs.get(`dhN${d}`, n);
          for (let b = 0; b < B; b++) {
            for (let j = 0; j < H; j++) sum[b * H + j] = (dhN ? dhN[b * H + j]! : 0) + g.data[g.off + b * g.ld + j]!;
          }
          dhN = sum;
        }
        const dcN = dC?.subarray(d * n, (d + 1) * n);
        r.backward(dy, dhN, dcN, grads[d]!, dx, { data: dh0, off: d * n }, { data: dc0, off: d * n });
      });
    },
  };
};
