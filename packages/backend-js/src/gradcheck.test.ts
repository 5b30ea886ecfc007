/**
 * Finite-difference checks of every op's backward: loss = Σ R·v over every graph output and every rnn state
 * output (R fixed random), analytic gradients from `program.backward`, central differences from float32
 * forwards. Batches have unequal lengths including 0.
 */
import {
  activation,
  add,
  concat,
  conv1d,
  dense,
  dropout,
  type Feeds,
  frameStack,
  type Graph,
  graph,
  gru,
  input,
  type LayerNode,
  lastStep,
  lstm,
  magnitude,
  pad as padTime,
  pool,
  repeat,
  sequential,
  simpleRnn,
  stateInput,
  type Tensor,
  vectorInput,
} from "@recurrent/core";
import { describe, expect, test } from "vitest";
import { modelOf, pad, randomTensor } from "../test/helpers.js";
import { compileProgram } from "./engine/program.js";

const T = 5;
const B = 3;
const LENGTHS = new Int32Array([5, 3, 0]);

interface Case {
  readonly name: string;
  readonly graph: Graph;
  /** Extra feeds (states, vector inputs); sequence inputs are made from the graph. */
  readonly feeds?: Feeds;
}

function seqInputs(g: Graph): Record<string, Tensor | Int32Array> {
  const feeds: Record<string, Tensor | Int32Array> = {};
  g.nodes.forEach((n, i) => {
    if (n.op === "input" && n.shape.length === 3 && n.lengths !== undefined) {
      const D = n.shape[2] as number;
      feeds[n.id] = pad(randomTensor([T, B, D], 100 + i), LENGTHS);
      feeds[n.lengths] = LENGTHS;
    } else if (n.op === "input" && n.shape.length === 3 && typeof n.shape[0] === "string") {
      // Declared without lengths (time-changing ops read these): every sample uses all T steps.
      feeds[n.id] = randomTensor([T, B, n.shape[2] as number], 100 + i);
    }
  });
  return feeds;
}

const x = (D = 3) => input("x", D);
const seq = (name: string, layers: LayerNode[]): Case => ({ name, graph: sequential(name, [x(), ...layers]) });

/** A sequence input without lengths, as the time-changing ops (strided/valid conv1d, pad) require. */
const full = (D = 3) => input("x", D, { lengths: false });
const unmasked = (name: string, layers: LayerNode[], D = 3): Case => ({
  name,
  graph: sequential(name, [full(D), ...layers]),
});

const cases: Case[] = [
  seq("dense tanh → dense softmax", [
    dense("a", { units: 4, activation: "tanh" }),
    dense("b", { units: 3, activation: "softmax" }),
  ]),
  seq("dense sigmoid (no bias) → activation relu → dropout", [
    dense("a", { units: 4, activation: "sigmoid", useBias: false }),
    activation("act", "tanh"),
    dropout("drop", 0.5),
    dense("b", { units: 2, activation: "relu" }),
  ]),
  seq("frameStack left 2 right 1 → dense", [frameStack("fs", { left: 2, right: 1 }), dense("d", { units: 3 })]),
  seq("conv1d same k4 tanh", [conv1d("c", { filters: 4, kernelSize: 4, activation: "tanh" })]),
  seq("conv1d causal k3 dilation 2 no bias", [
    conv1d("c", { filters: 3, kernelSize: 3, dilation: 2, padding: "causal", useBias: false }),
  ]),
  unmasked("conv1d valid k3 stride 2 tanh (T 5 → 2)", [
    conv1d("c", { filters: 4, kernelSize: 3, stride: 2, padding: "valid", activation: "tanh" }),
  ]),
  unmasked("conv1d same k4 stride 2 dilation 2 (T 5 → 3)", [
    conv1d("c", { filters: 3, kernelSize: 4, dilation: 2, stride: 2, useBias: false }),
  ]),
  unmasked("conv1d causal k2 stride 3", [conv1d("c", { filters: 2, kernelSize: 2, stride: 3, padding: "causal" })]),
  unmasked("pad zero 2 before 1 after → dense", [
    padTime("p", { before: 2, after: 1 }),
    dense("d", { units: 2, activation: "tanh" }),
  ]),
  unmasked("pad reflect 4 before 3 after (the most T = 5 allows) → conv1d", [
    padTime("p", { before: 4, after: 3, mode: "reflect" }),
    conv1d("c", { filters: 2, kernelSize: 3 }),
  ]),
  seq("magnitude of a masked sequence (keeps lengths)", [dense("d", { units: 4 }), magnitude("m")]),
  {
    name: "magnitude of a vector",
    graph: graph("mv", [vectorInput("v", 4), dense("d", { units: 6 }, "v"), magnitude("m", "d")], ["m"]),
    feeds: { v: randomTensor([B, 4], 13) },
  },
  unmasked(
    "a Silero-shaped encoder: reflect pad, STFT conv, magnitude, strided convs, lstm, sigmoid, mean",
    [
      padTime("p", { after: 2, mode: "reflect" }),
      conv1d("stft", { filters: 6, kernelSize: 2, stride: 2, padding: "valid", useBias: false }),
      magnitude("mag"),
      conv1d("enc1", { filters: 4, kernelSize: 3, activation: "tanh" }),
      conv1d("enc2", { filters: 4, kernelSize: 3, stride: 2, activation: "tanh" }),
      lstm("r", { units: 3 }),
      dense("head", { units: 1, activation: "sigmoid" }),
      pool("mean", "mean"),
    ],
    1,
  ),
  ...(["forward", "reverse", "bidirectional"] as const).flatMap((direction) => [
    seq(`simple tanh ${direction}`, [simpleRnn("r", { units: 4, direction })]),
    seq(`lstm ${direction}`, [lstm("r", { units: 4, direction })]),
    seq(`gru reset-after ${direction}`, [gru("r", { units: 4, direction })]),
    seq(`gru reset-before ${direction}`, [gru("r", { units: 4, direction, resetAfter: false })]),
  ]),
  seq("simple relu bidirectional concat", [
    simpleRnn("r", { units: 4, direction: "bidirectional", merge: "concat", activation: "relu" }),
  ]),
  // H not a multiple of 4: the fused loops pad gate blocks and states to whole vectors.
  seq("lstm H=5 reverse", [lstm("r", { units: 5, direction: "reverse" })]),
  seq("gru reset-after H=5 bidirectional concat", [
    gru("r", { units: 5, direction: "bidirectional", merge: "concat" }),
  ]),
  seq("gru reset-before H=7", [gru("r", { units: 7, resetAfter: false })]),
  seq("simple tanh H=5 bidirectional", [simpleRnn("r", { units: 5, direction: "bidirectional" })]),
  seq("simple relu H=6 reverse", [simpleRnn("r", { units: 6, direction: "reverse", activation: "relu" })]),
  ...(["concat", "ave", "mul"] as const).map((merge) =>
    seq(`lstm bidirectional ${merge}`, [lstm("r", { units: 3, direction: "bidirectional", merge })]),
  ),
  seq("lstm bidirectional tied sum", [lstm("r", { units: 3, direction: "bidirectional", tiedDirections: true })]),
  seq("gru bidirectional tied mul final", [
    gru("r", { units: 3, direction: "bidirectional", tiedDirections: true, merge: "mul", returnSequences: false }),
  ]),
  seq("simple bidirectional tied ave", [
    simpleRnn("r", { units: 3, direction: "bidirectional", tiedDirections: true, merge: "ave" }),
  ]),
  seq("lstm final state (returnSequences false) reverse", [
    lstm("r", { units: 4, direction: "reverse", returnSequences: false }),
  ]),
  seq("gru bidirectional concat final", [
    gru("r", { units: 3, direction: "bidirectional", merge: "concat", returnSequences: false }),
  ]),
  {
    name: "lstm with fed initial states",
    graph: sequential("fed", [x(), lstm("r", { units: 4, direction: "bidirectional" })]),
    feeds: { "r/h": randomTensor([2, B, 4], 7, 0.5), "r/c": randomTensor([2, B, 4], 8, 0.5) },
  },
  {
    name: "gru reset-before reverse with fed initial state",
    graph: sequential("fed", [x(), gru("r", { units: 4, direction: "reverse", resetAfter: false })]),
    feeds: { "r/h": randomTensor([1, B, 4], 9, 0.5) },
  },
  {
    name: "encoder → decoder through wired states, state inputs",
    graph: graph(
      "seq2seq",
      [
        input("src", 3, { lengths: "srcLengths", time: "srcTime" }),
        lstm("enc", { units: 4, returnSequences: false }, "src"),
        input("tgt", 2, { lengths: "tgtLengths", time: "tgtTime" }),
        lstm("dec", { units: 4 }, "tgt", "enc/h", "enc/c"),
        stateInput("h0", 3),
        simpleRnn("s", { units: 3 }, "tgt", "h0"),
        concat("cat", "dec", "s"),
        dense("out", { units: 2 }, "cat"),
      ],
      ["out"],
    ),
    feeds: { h0: randomTensor([1, B, 3], 11, 0.5) },
  },
  seq("lastStep", [lstm("r", { units: 3 }), lastStep("last")]),
  seq("pool mean", [dense("d", { units: 3, activation: "tanh" }), pool("p", "mean")]),
  seq("pool max", [dense("d", { units: 3, activation: "tanh" }), pool("p", "max")]),
  {
    name: "repeat steps and like, add",
    graph: graph(
      "rep",
      [
        x(),
        vectorInput("v", 2),
        repeat("rs", { steps: T }, "v"),
        repeat("rl", {}, "v", "x"),
        dense("dx", { units: 2 }, "x"),
        add("sum", "rl", "dx"),
        gru("g", { units: 3 }, "rs"),
      ],
      ["sum", "g"],
    ),
    feeds: { v: randomTensor([B, 2], 12) },
  },
];

/** Σ R·v over the seeded values (float64), and the seeds. */
function objective(model: ReturnType<typeof modelOf>["model"]) {
  const names = [...model.outputs];
  for (const n of model.nodes) if (n.op === "rnn") names.push(`${n.id}/h`, ...(n.cell === "lstm" ? [`${n.id}/c`] : []));
  return [...new Set(names)];
}

describe("gradients match central finite differences", () => {
  for (const c of cases) {
    test(c.name, () => {
      const { model, weights } = modelOf(c.graph, 3);
      const program = compileProgram(model, weights);
      const feeds: Record<string, Tensor | Int32Array> = { ...seqInputs(c.graph), ...c.feeds };
      const names = objective(model);
      const tape = program.forward(feeds);
      const R = new Map(names.map((n, i) => [n, randomTensor(tape.value(n).shape, 500 + i).data]));
      const lossOf = (f: Feeds): number => {
        const t = program.forward(f, { record: false });
        let s = 0;
        for (const n of names) {
          const v = t.value(n).data;
          const r = R.get(n)!;
          for (let i = 0; i < v.length; i++) s += r[i]! * v[i]!;
        }
        return s;
      };
      const grads = program.backward(program.forward(feeds), R);
      const eps = 5e-3;
      const check = (label: string, data: Float32Array, analytic: Float32Array, evaluate: () => number) => {
        const step = Math.max(1, Math.floor(data.length / 5));
        for (let i = 0; i < data.length; i += step) {
          const keep = data[i]!;
          data[i] = keep + eps;
          const up = evaluate();
          data[i] = keep - eps;
          const down = evaluate();
          data[i] = keep;
          const fd = (up - down) / (2 * eps);
          expect(Math.abs(analytic[i]! - fd), `${label}[${i}]: analytic ${analytic[i]} vs fd ${fd}`).toBeLessThan(
            1e-3 + 2e-2 * Math.abs(fd),
          );
        }
      };
      let checked = 0;
      for (const [key, w] of program.weights) {
        check(key, w, grads.weightGrads.get(key)!.slice(), () => lossOf(feeds));
        checked++;
      }
      const inputGrads = new Map([...grads.inputGrads].map(([k, g]) => [k, g.slice()]));
      for (const [key, g] of inputGrads) {
        const feed = feeds[key] as Tensor;
        const data = feed.data.slice();
        const f = { ...feeds, [key]: { shape: feed.shape, data } };
        check(`feed ${key}`, data, g, () => lossOf(f));
        checked++;
      }
      expect(checked).toBeGreaterThan(0);
      // Padded frames of a sequence feed get exactly zero gradient.
      for (const [key, g] of inputGrads) {
        const feed = feeds[key] as Tensor;
        if (feed.shape.length !== 3 || !model.nodes.some((n) => n.op === "input" && n.id === key && n.lengths))
          continue;
        const D = feed.shape[2]!;
        expect(g.subarray((2 * B + 2) * D, (2 * B + 3) * D).every((v) => v === 0)).toBe(true);
        expect(g.subarray((4 * B + 1) * D, (4 * B + 2) * D).every((v) => v === 0)).toBe(true);
      }
    });
  }
});
