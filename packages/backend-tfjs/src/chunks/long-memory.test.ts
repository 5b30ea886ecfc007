import { assertValid, dense, type Graph, initWeights, input, lstm, sequential, stream } from "@recurrent/core";
import * as tf from "@tensorflow/tfjs";
import { expect, test } from "vitest";
import { randomTensor } from "../../test/helpers.js";
import { tfjsBackend } from "../index.js";

// Peak tensor bytes of one inference run, from tfjs's own count (`tf.memory().numBytes`) sampled each time a
// tensor is created: the engine's `trackTensor` is the one place every new tensor passes through.
async function peakBytes(run: () => Promise<unknown>): Promise<number> {
  const engine = tf.engine() as unknown as { trackTensor: (a: unknown, b: unknown) => void };
  const original = engine.trackTensor;
  const base = tf.memory().numBytes;
  let peak = base;
  engine.trackTensor = function (this: unknown, a: unknown, b: unknown) {
    original.call(this, a, b);
    peak = Math.max(peak, tf.memory().numBytes);
  };
  try {
    await run();
  } finally {
    engine.trackTensor = original;
  }
  return peak - base;
}

const H = 32;
const D = 8;
const models: [string, Graph][] = [
  [
    "unidirectional lstm, lstm",
    sequential("uni", [input("x", D), lstm("a", { units: H }), lstm("b", { units: H }), dense("out", { units: 4 })]),
  ],
  [
    "bidirectional lstm, lstm",
    sequential("bi", [
      input("x", D),
      lstm("a", { units: H, direction: "bidirectional" }),
      lstm("b", { units: H, direction: "bidirectional", merge: "concat" }),
      dense("out", { units: 4 }),
    ]),
  ],
];

test.each(models)(
  "%s: peak tensor bytes grow by a bounded amount per frame (T = 2,000 vs 20,000)",
  async (_, m) => {
    const model = assertValid(m);
    const exe = await tfjsBackend({ backend: "cpu" }).compile(model, initWeights(model, { seed: 1 }));
    const perT = new Map<number, number>();
    for (const T of [2000, 20000]) {
      const feeds = { x: randomTensor([T, 1, D], T), lengths: Int32Array.of(T) };
      perT.set(T, await peakBytes(() => exe.run(feeds, { fetch: ["out"] })));
    }
    exe.dispose();
    const small = perT.get(2000)!;
    const large = perT.get(20000)!;
    const perFrame = (large - small) / 18000;
    console.log(`${model.name}: peak ${small} B at T=2000, ${large} B at T=20000, ${perFrame.toFixed(0)} B/frame`);
    // Before chunking, every step's tensors were held to the end of the run: 12.5 KB per frame here (25.3 KB
    // bidirectional), and the peak grew 10× with T. Now what grows with T is a few layers' outputs, 4·H bytes
    // per frame each; one chunk's intermediates are the same at both lengths.
    expect(perFrame).toBeLessThan(8 * 4 * H);
    expect(large / small).toBeLessThan(5);
  },
  600_000,
);

test("a unidirectional model streamed in 512-frame pushes (core's stream()) holds one chunk: peak flat in T", async () => {
  const model = assertValid(models[0]![1]);
  const exe = await tfjsBackend({ backend: "cpu" }).compile(model, initWeights(model, { seed: 1 }));
  const perT = new Map<number, number>();
  for (const T of [2000, 20000]) {
    const x = randomTensor([T, 1, D], T);
    perT.set(
      T,
      await peakBytes(async () => {
        const s = stream(exe);
        for (let t0 = 0; t0 < T; t0 += 512) {
          const n = Math.min(512, T - t0);
          await s.push({ shape: [n, 1, D], data: x.data.subarray(t0 * D, (t0 + n) * D) });
        }
      }),
    );
  }
  exe.dispose();
  console.log(`streamed: peak ${perT.get(2000)} B at T=2000, ${perT.get(20000)} B at T=20000`);
  // The only growth allowed is noise: the carried states are replaced on every push.
  expect(perT.get(20000)! / perT.get(2000)!).toBeLessThan(1.1);
}, 600_000);
