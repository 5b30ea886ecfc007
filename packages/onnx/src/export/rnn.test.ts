// Expected values come from the PyTorch cell equations written out below for one unit and one feature (gate
// blocks in PyTorch order: LSTM i,f,g,o; GRU r,z,n), run step by step over each sample's valid frames. Padded
// frames hold garbage. Distinct per-gate weights make any gate-order mistake visible.
import { input, type RnnOptions, rnn, sequential, type Tensor } from "@recurrent/core";
import { describe, expect, test } from "vitest";
import { expectClose, frame, runGraph, t } from "../test-helpers.js";

const sig = (v: number) => 1 / (1 + Math.exp(-v));
interface Params {
  readonly wih: number[];
  readonly whh: number[];
  readonly bih: number[];
  readonly bhh: number[];
}
type Cell = (x: number, h: number, c: number, p: Params) => [number, number];

const simple: Cell = (x, h, _c, p) => [Math.tanh(p.wih[0]! * x + p.bih[0]! + p.whh[0]! * h + p.bhh[0]!), 0];
const lstm: Cell = (x, h, c, p) => {
  const pre = (k: number) => p.wih[k]! * x + p.bih[k]! + p.whh[k]! * h + p.bhh[k]!;
  const next = sig(pre(1)) * c + sig(pre(0)) * Math.tanh(pre(2));
  return [sig(pre(3)) * Math.tanh(next), next];
};
const gru =
  (resetAfter: boolean): Cell =>
  (x, h, _c, p) => {
    const r = sig(p.wih[0]! * x + p.bih[0]! + p.whh[0]! * h + p.bhh[0]!);
    const z = sig(p.wih[1]! * x + p.bih[1]! + p.whh[1]! * h + p.bhh[1]!);
    const n = resetAfter
      ? Math.tanh(p.wih[2]! * x + p.bih[2]! + r * (p.whh[2]! * h + p.bhh[2]!))
      : Math.tanh(p.wih[2]! * x + p.bih[2]! + p.whh[2]! * (r * h) + p.bhh[2]!);
    return [(1 - z) * n + z * h, 0];
  };

/** Outputs at each valid step (time-aligned) and the final h, c of one direction over one sample. */
function reference(cell: Cell, xs: number[], p: Params, reverse: boolean, h0 = 0, c0 = 0) {
  const ys: number[] = new Array(xs.length).fill(0);
  let [h, c] = [h0, c0];
  const order = xs.map((_, i) => (reverse ? xs.length - 1 - i : i));
  for (const s of order) {
    [h, c] = cell(xs[s]!, h, c, p);
    ys[s] = h;
  }
  return { ys, h, c };
}

const P4: Params = {
  wih: [0.5, -0.3, 0.8, 0.2],
  whh: [0.1, 0.4, -0.6, 0.7],
  bih: [0.05, 1, -0.2, 0.1],
  bhh: [0, 0.2, 0.3, -0.1],
};
const P3: Params = { wih: [0.5, -0.3, 0.8], whh: [0.1, 0.4, -0.6], bih: [0.05, 1, -0.2], bhh: [0, 0.2, 0.3] };
const P1: Params = { wih: [0.7], whh: [-0.4], bih: [0.1], bhh: [0.05] };

function weightsOf(id: string, p: Params, suffix = ""): Record<string, Tensor> {
  const G = p.wih.length;
  return {
    [`${id}/weight_ih${suffix}`]: t([G, 1], p.wih),
    [`${id}/weight_hh${suffix}`]: t([G, 1], p.whh),
    [`${id}/bias_ih${suffix}`]: t([G], p.bih),
    [`${id}/bias_hh${suffix}`]: t([G], p.bhh),
  };
}

// [T=3, B=2, 1]: sample 0 = 0.5, −1, 2 (length 3); sample 1 = 1.5, −0.5 then garbage (length 2).
const samples = [
  [0.5, -1, 2],
  [1.5, -0.5],
];
const x = t([3, 2, 1], [0.5, 1.5, -1, -0.5, 2, 42]);
const lengths = Int32Array.from([3, 2]);

const cases: [string, RnnOptions, Params, Cell][] = [
  ["simple", { cell: "simple", units: 1 }, P1, simple],
  ["lstm", { cell: "lstm", units: 1 }, P4, lstm],
  ["gru reset-after", { cell: "gru", units: 1 }, P3, gru(true)],
  ["gru reset-before", { cell: "gru", units: 1, resetAfter: false }, P3, gru(false)],
];

describe("rnn export", () => {
  for (const reverse of [false, true]) {
    test.each(cases)(`%s ${reverse ? "reverse" : "forward"}: outputs and final states`, async (_, options, p, cell) => {
      const g = sequential("r", [input("x", 1), rnn("l", { ...options, direction: reverse ? "reverse" : "forward" })]);
      const fetch = options.cell === "lstm" ? ["l", "l/h", "l/c"] : ["l", "l/h"];
      const out = await runGraph(g, weightsOf("l", p), { x, lengths }, fetch);
      samples.forEach((xs, b) => {
        const ref = reference(cell, xs, p, reverse);
        expectClose(
          xs.map((_, s) => frame(out.l!, s, b)[0]!),
          ref.ys,
        );
        expectClose(frame(out["l/h"]!, 0, b), [ref.h]);
        if (options.cell === "lstm") expectClose(frame(out["l/c"]!, 0, b), [ref.c]);
      });
    });
  }

  test("relu simple RNN", async () => {
    const g = sequential("r", [input("x", 1), rnn("l", { cell: "simple", units: 1, activation: "relu" })]);
    const p: Params = { wih: [1], whh: [0.5], bih: [0], bhh: [-0.25] };
    const { l } = await runGraph(g, weightsOf("l", p), { x: t([2, 1, 1], [2, -1]), lengths: Int32Array.of(2) });
    // h1 = relu(2 − 0.25) = 1.75; h2 = relu(−1 + 0.875 − 0.25) = 0
    expectClose([...l!.data], [1.75, 0]);
  });

  test("bidirectional with tied weights, concat: [forward | backward], final state many-to-one", async () => {
    const options = {
      cell: "lstm",
      units: 1,
      direction: "bidirectional",
      merge: "concat",
      tiedDirections: true,
    } as const;
    const g = sequential("r", [input("x", 1), rnn("l", options)]);
    const seq = await runGraph(g, weightsOf("l", P4), { x, lengths });
    const last = await runGraph(
      sequential("r", [input("x", 1), rnn("l", { ...options, returnSequences: false })]),
      weightsOf("l", P4),
      { x, lengths },
    );
    expect(last.l?.shape).toEqual([2, 2]);
    samples.forEach((xs, b) => {
      const fwd = reference(lstm, xs, P4, false);
      const bwd = reference(lstm, xs, P4, true);
      for (let s = 0; s < xs.length; s++) expectClose(frame(seq.l!, s, b), [fwd.ys[s]!, bwd.ys[s]!]);
      expectClose(frame(last.l!, b), [fwd.h, bwd.h]);
    });
  });

  test("bidirectional with own reverse weights: sum, ave and mul merges", async () => {
    const R: Params = { wih: [-0.4, 0.6, 0.3], whh: [0.2, -0.5, 0.9], bih: [0.1, 0, 0.4], bhh: [-0.3, 0.1, 0] };
    const weights = { ...weightsOf("l", P3), ...weightsOf("l", R, "_reverse") };
    for (const [merge, join] of [
      ["sum", (a: number, b: number) => a + b],
      ["ave", (a: number, b: number) => (a + b) / 2],
      ["mul", (a: number, b: number) => a * b],
    ] as const) {
      const g = sequential("r", [
        input("x", 1),
        rnn("l", { cell: "gru", units: 1, direction: "bidirectional", merge }),
      ]);
      const { l } = await runGraph(g, weights, { x, lengths });
      samples.forEach((xs, b) => {
        const fwd = reference(gru(true), xs, P3, false);
        const bwd = reference(gru(true), xs, R, true);
        expectClose(
          xs.map((_, s) => frame(l!, s, b)[0]!),
          xs.map((_, s) => join(fwd.ys[s]!, bwd.ys[s]!)),
        );
      });
    }
  });

  test("initial states fed by key <id>/h, <id>/c; a length-0 sample ends in zero states", async () => {
    const g = sequential("r", [input("x", 1), rnn("l", { cell: "lstm", units: 1 })]);
    const h0 = t([1, 2, 1], [0.3, -0.7]);
    const c0 = t([1, 2, 1], [1.2, 0.4]);
    const out = await runGraph(g, weightsOf("l", P4), { x, lengths: Int32Array.from([3, 0]), "l/h": h0, "l/c": c0 }, [
      "l",
      "l/h",
      "l/c",
    ]);
    const ref = reference(lstm, samples[0]!, P4, false, 0.3, 1.2);
    expectClose(frame(out["l/h"]!, 0, 0), [ref.h]);
    expectClose(frame(out["l/c"]!, 0, 0), [ref.c]);
    expectClose(frame(out["l/h"]!, 0, 1), [0]);
    expectClose(frame(out["l/c"]!, 0, 1), [0]);
  });
});
