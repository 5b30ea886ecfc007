import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, test } from "vitest";
import type { Executable, Feeds, Outputs, RunOptions } from "../backend/backend.js";
import { BackendError } from "../backend/errors.js";
import {
  conv1d,
  dense,
  frameStack,
  graph,
  input,
  lastStep,
  pool,
  repeat,
  rnn,
  sequential,
  stateInput,
  vectorInput,
} from "../ir/builders.js";
import type { Graph, LayerNode, RnnNode } from "../ir/nodes.js";
import type { ValidModel } from "../ir/valid-model.js";
import type { Tensor } from "../tensor/tensor.js";
import { stream } from "./stream.js";

const asValid = (g: Graph) =>
  ({ ...g, info: { shapes: new Map(), lengthsOf: new Map(), params: new Map() } }) as unknown as ValidModel;

/**
 * A fake executable with an exactly known recurrence over its one `rnn` node "r" (units 1), per sample b:
 * u_t = Σ_d ±x[t,b,d] (+ bias[b] when a vector input "bias" is fed), then
 * simple cell: h_t = a·h_{t−1} + u_t;  lstm cell: c_t = c_{t−1} + u_t, h_t = a·h_{t−1} + c_t.
 * Initial states come from the wired state input or the `r/h`, `r/c` feeds (zeros when absent).
 */
class FakeExecutable implements Executable {
  readonly model: ValidModel;
  readonly rnn: RnnNode;
  runs = 0;
  /** The largest number of float values fed in one run besides the frames (must not grow). */
  maxStateValues = 0;
  constructor(
    g: Graph,
    readonly a = 0.5,
  ) {
    this.model = asValid(g);
    this.rnn = g.nodes.find((n): n is RnnNode => n.op === "rnn")!;
  }
  async run(feeds: Feeds, options?: RunOptions): Promise<Outputs> {
    this.runs++;
    const node = this.rnn;
    const x = feeds.x as Tensor;
    const [T, B, D] = x.shape as [number, number, number];
    const bias = feeds.bias as Tensor | undefined;
    const hFeed = feeds[node.inputs[1] || "r/h"] as Tensor | undefined;
    const cFeed = feeds[node.inputs[2] || "r/c"] as Tensor | undefined;
    this.maxStateValues = Math.max(this.maxStateValues, (hFeed?.data.length ?? 0) + (cFeed?.data.length ?? 0));
    // float32 state, as a real backend keeps it, so that a state carried between pushes is exact.
    const h = hFeed ? hFeed.data.slice() : new Float32Array(B);
    const c = cFeed ? cFeed.data.slice() : new Float32Array(B);
    const ys = new Float32Array(T * B);
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        let u = bias ? bias.data[b]! : 0;
        for (let d = 0; d < D; d++) u += (d % 2 === 0 ? 1 : -1) * x.data[(t * B + b) * D + d]!;
        c[b] = c[b]! + u;
        h[b] = this.a * h[b]! + (node.cell === "lstm" ? c[b]! : u);
        ys[t * B + b] = h[b]!;
      }
    }
    const all: Record<string, Tensor> = {
      r: { shape: [T, B, 1], data: ys },
      "r/h": { shape: [1, B, 1], data: h },
      "r/c": { shape: [1, B, 1], data: c },
    };
    const out: Record<string, Tensor> = {};
    for (const name of options?.fetch ?? this.model.outputs) out[name] = all[name]!;
    return out;
  }
  async dispose(): Promise<void> {}
}

const simpleModel = (...extra: LayerNode[]) =>
  sequential("acc", [input("x", 2), rnn("r", { cell: "simple", units: 1 }), ...extra]);
const lstmModel = () => sequential("acc", [input("x", 2), rnn("r", { cell: "lstm", units: 1 })]);

/** A deterministic [T, B, 2] sequence. */
function sequence(T: number, B: number): Tensor {
  return { shape: [T, B, 2], data: Float32Array.from({ length: T * B * 2 }, (_, i) => Math.sin(i * 0.7) + (i % 3)) };
}

function frame(x: Tensor, t: number): Tensor {
  const [, B, D] = x.shape as [number, number, number];
  return { shape: [B, D], data: x.data.slice(t * B * D, (t + 1) * B * D) };
}

function chunk(x: Tensor, from: number, to: number): Tensor {
  const [, B, D] = x.shape as [number, number, number];
  return { shape: [to - from, B, D], data: x.data.slice(from * B * D, to * B * D) };
}

describe("stream: carrying state", () => {
  test("a constant input gives the closed form h_t = (1 − a^(t+1)) / (1 − a), frame by frame", async () => {
    const s = stream(new FakeExecutable(simpleModel(), 0.5));
    for (let t = 0; t < 12; t++) {
      const { r } = await s.push({ shape: [1, 2], data: Float32Array.of(1, 0) });
      expect(r!.shape).toEqual([1, 1]);
      expect(r!.data[0]).toBeCloseTo((1 - 0.5 ** (t + 1)) / (1 - 0.5), 6);
    }
    expect(s.frames).toBe(12);
  });

  test("frame-by-frame pushes equal one whole-sequence run", async () => {
    const exe = new FakeExecutable(simpleModel(), 0.9);
    const x = sequence(17, 3);
    const whole = (await exe.run({ x })).r!;
    const s = stream(exe);
    for (let t = 0; t < 17; t++) {
      const { r } = await s.push(frame(x, t));
      expect(r!.shape).toEqual([3, 1]);
      expect(Array.from(r!.data)).toEqual(Array.from(whole.data.slice(t * 3, t * 3 + 3)));
    }
  });

  test("chunks of any size carry both LSTM states (h and c) and equal one whole-sequence run", async () => {
    const exe = new FakeExecutable(lstmModel(), 0.7);
    const x = sequence(11, 2);
    const whole = (await exe.run({ x })).r!;
    const s = stream(exe);
    const parts: number[] = [];
    let at = 0;
    for (const size of [3, 1, 5, 2]) {
      const { r } = await s.push(chunk(x, at, at + size));
      expect(r!.shape).toEqual([size, 2, 1]);
      parts.push(...r!.data);
      at += size;
    }
    expect(parts).toEqual(Array.from(whole.data));
  });

  test("feeds the declared lengths feed all t of each push, and none to a model declared without lengths", async () => {
    const fed = (g: Graph) => {
      const exe = new FakeExecutable(g);
      const seen: (number[] | undefined)[] = [];
      const run = exe.run.bind(exe);
      exe.run = (feeds, options) => {
        const lengths = feeds.lengths as Int32Array | undefined;
        seen.push(lengths && Array.from(lengths));
        return run(feeds, options);
      };
      return { s: stream(exe), seen };
    };
    const declared = fed(simpleModel());
    await declared.s.push(frame(sequence(1, 3), 0));
    await declared.s.push(chunk(sequence(4, 3), 0, 4));
    await declared.s.push(frame(sequence(1, 3), 0));
    expect(declared.seen).toEqual([
      [1, 1, 1],
      [4, 4, 4],
      [1, 1, 1],
    ]);
    const free = fed(sequential("acc", [input("x", 2, { lengths: false }), rnn("r", { cell: "simple", units: 1 })]));
    await free.s.push(frame(sequence(1, 3), 0));
    expect(free.seen).toEqual([undefined]);
  });

  test("pushes made without awaiting run in order", async () => {
    const exe = new FakeExecutable(simpleModel(), 0.9);
    const x = sequence(6, 1);
    const whole = (await exe.run({ x })).r!;
    const s = stream(exe);
    const results = await Promise.all([0, 1, 2, 3, 4, 5].map((t) => s.push(frame(x, t))));
    expect(results.map((o) => o.r!.data[0])).toEqual(Array.from(whole.data));
  });

  test("reset() starts again from zero state and frees the batch size", async () => {
    const s = stream(new FakeExecutable(simpleModel(), 0.5));
    const first = await s.push(frame(sequence(1, 2), 0));
    await s.push(frame(sequence(2, 2), 1));
    s.reset();
    expect(s.frames).toBe(0);
    expect(Array.from((await s.push(frame(sequence(1, 2), 0))).r!.data)).toEqual(Array.from(first.r!.data));
    s.reset();
    await expect(s.push(frame(sequence(1, 5), 0))).resolves.toBeDefined();
  });

  test("a state input wired into the rnn starts from the given value and is then fed the carried state", async () => {
    const g = graph(
      "wired",
      [input("x", 2), stateInput("h0", 1), rnn("r", { cell: "simple", units: 1 }, "x", "h0")],
      ["r"],
    );
    const exe = new FakeExecutable(g, 0.5);
    const x = sequence(5, 2);
    const h0 = { shape: [1, 2, 1], data: Float32Array.of(4, -2) };
    const whole = (await exe.run({ x, h0 })).r!;
    const s = stream(exe, { inputs: { h0 } });
    const out: number[] = [];
    for (let t = 0; t < 5; t++) out.push(...(await s.push(frame(x, t))).r!.data);
    expect(out).toEqual(Array.from(whole.data));
  });

  test("vector inputs given once are fed on every push", async () => {
    const g = graph(
      "biased",
      [input("x", 2), vectorInput("bias", 1), rnn("r", { cell: "simple", units: 1 }, "x")],
      ["r"],
    );
    const exe = new FakeExecutable(g, 0.5);
    const bias = { shape: [1, 1], data: Float32Array.of(1) };
    const s = stream(exe, { inputs: { bias } });
    const zero = { shape: [1, 2], data: Float32Array.of(0, 0) };
    expect((await s.push(zero)).r!.data[0]).toBe(1);
    expect((await s.push(zero)).r!.data[0]).toBe(1.5);
    expect(() => stream(exe)).toThrow(expect.objectContaining({ code: "MISSING_FEED" }));
    expect(() => stream(exe, { inputs: { bias, nope: bias } })).toThrow(/"nope".*not a vector input/);
  });
});

describe("stream: bad frames", () => {
  test("the batch size is fixed by the first push", async () => {
    const s = stream(new FakeExecutable(simpleModel()));
    await s.push(frame(sequence(1, 2), 0));
    const error = await s.push(frame(sequence(1, 3), 0)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ code: "STREAM", nodeId: "x" });
    expect((error as Error).message).toMatch(/batch size changed from 2 to 3.*reset\(\)/);
  });

  test("wrong feature size, rank or data length is refused with FEED_SHAPE", async () => {
    const s = stream(new FakeExecutable(simpleModel()));
    const cases: Tensor[] = [
      { shape: [2, 3], data: new Float32Array(6) },
      { shape: [2], data: new Float32Array(2) },
      { shape: [0, 2, 2], data: new Float32Array(0) },
      { shape: [2, 2], data: new Float32Array(3) },
    ];
    for (const t of cases) await expect(s.push(t)).rejects.toMatchObject({ code: "FEED_SHAPE" });
    await expect(s.push(cases[0]!)).rejects.toThrow(/expected 2 features, found 3/);
  });
});

describe("stream: models that cannot stream", () => {
  const refused: [string, Graph, RegExp][] = [
    [
      "bidirectional rnn",
      sequential("m", [input("x", 3), rnn("blstm", { cell: "lstm", units: 4, direction: "bidirectional" })]),
      /node "blstm" \(rnn\) is bidirectional.*must see the whole sequence first/,
    ],
    [
      "reverse rnn",
      sequential("m", [input("x", 3), rnn("rev", { cell: "gru", units: 4, direction: "reverse" })]),
      /"rev".*reverse/,
    ],
    [
      "rnn without sequences",
      sequential("m", [input("x", 3), rnn("enc", { cell: "gru", units: 4, returnSequences: false })]),
      /"enc".*returnSequences: false/,
    ],
    [
      "lastStep",
      sequential("m", [input("x", 3), lastStep("last")]),
      /"last" \(lastStep\) reduces over the whole sequence/,
    ],
    ["pool", sequential("m", [input("x", 3), pool("avg", "mean")]), /"avg" \(pool\)/],
    [
      "frameStack right",
      sequential("m", [input("x", 3), frameStack("win", { left: 0, right: 2 })]),
      /"win".*2 future frame/,
    ],
    [
      "frameStack left",
      sequential("m", [input("x", 3), frameStack("win", { left: 3, right: 0 })]),
      /"win".*3 previous frame/,
    ],
    [
      "conv1d same",
      sequential("m", [input("x", 3), conv1d("conv", { filters: 2, kernelSize: 3 })]),
      /"conv".*future frames/,
    ],
    [
      "conv1d causal",
      sequential("m", [input("x", 3), conv1d("conv", { filters: 2, kernelSize: 3, dilation: 2, padding: "causal" })]),
      /"conv".*4 previous frame/,
    ],
    [
      "repeat with a fixed step count",
      graph(
        "m",
        [input("x", 3), vectorInput("v", 2), repeat("rep", { steps: 4 }, "v"), dense("d", { units: 1 }, "x")],
        ["rep", "d"],
      ),
      /"rep".*fixed 4 steps/,
    ],
    [
      "repeat of a pooled value",
      graph("m", [input("x", 3), rnn("r", { cell: "simple", units: 2 }, "x"), repeat("rep", {}, "r/h", "x")], ["rep"]),
      /"rep" \(repeat\) repeats a value that is not fixed/,
    ],
    [
      "state wired from another layer",
      graph(
        "m",
        [
          input("x", 3),
          rnn("enc", { cell: "gru", units: 2 }, "x"),
          rnn("dec", { cell: "gru", units: 2 }, "x", "enc/h"),
        ],
        ["dec"],
      ),
      /"dec".*initial state from "enc\/h"/,
    ],
    [
      "two sequence inputs",
      graph("m", [input("a", 3), input("b", 3), rnn("r", { cell: "simple", units: 2 }, "a")], ["r"]),
      /2 sequence inputs \(a, b\)/,
    ],
  ];
  test.each(refused)("%s is refused with code STREAM naming the node", (_, g, message) => {
    const exe = new FakeExecutable(g);
    expect(() => stream(exe)).toThrow(BackendError);
    expect(() => stream(exe)).toThrow(message);
    expect(() => stream(exe)).toThrow(expect.objectContaining({ code: "STREAM" }));
  });

  test("per-frame layers are accepted: dense, kernel-1 conv, a 0-context frameStack, repeat of a fixed vector", () => {
    const g = graph(
      "ok",
      [
        input("x", 3),
        vectorInput("v", 2),
        frameStack("id", { left: 0 }, "x"),
        conv1d("c1", { filters: 3, kernelSize: 1 }, "id"),
        repeat("rep", {}, "v", "x"),
        rnn("r", { cell: "gru", units: 2 }, "c1"),
        dense("out", { units: 2 }, "r"),
      ],
      ["out", "rep"],
    );
    expect(() =>
      stream(new FakeExecutable(g), { inputs: { v: { shape: [1, 2], data: new Float32Array(2) } } }),
    ).not.toThrow();
  });
});

describe("stream: memory", () => {
  test("10^6 frames pushed one by one keep the carried state and the heap constant", async () => {
    const exe = new FakeExecutable(lstmModel(), 0.5);
    const s = stream(exe);
    const one = { shape: [1, 2], data: Float32Array.of(1e-3, 0) };
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const heap = () => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    for (let i = 0; i < 1000; i++) await s.push(one);
    const before = heap();
    for (let i = 0; i < 999_000; i++) await s.push(one);
    const grown = heap() - before;
    expect(s.frames).toBe(1_000_000);
    expect(exe.runs).toBe(1_000_001 - 1000 + 999);
    expect(exe.maxStateValues).toBe(2);
    expect(grown).toBeLessThan(50 * 2 ** 20);
  }, 60_000);
});
