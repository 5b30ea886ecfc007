import {
  assertValid,
  dense,
  type Feeds,
  type Graph,
  initWeights,
  input,
  outputsOf,
  type RnnOptions,
  rnn,
  sequential,
  type Tensor,
} from "@recurrent/core";
import { beforeEach, describe, expect, test } from "vitest";
import { randomTensor } from "../../test/helpers.js";
import { checkFeeds } from "../engine/feeds.js";
import { forward, uploadFeeds } from "../engine/forward.js";
import { Runtime, readSync } from "../runtime.js";
import type { TfTensor } from "../tf.js";

// A chunked inference run must give what one pass over the whole sequence gives (that pass is the one the
// conformance suite checks against PyTorch). Chunks of 7 steps over T = 40: lengths 0, on a chunk boundary
// (7, 21, 35), inside a chunk (12, 30) and full, so samples end in every position relative to a chunk.
// On cpu and wasm (whose step splits and joins take another path: steps.ts); both share one tfjs namespace.
const runtimes = { cpu: await Runtime.start({ backend: "cpu" }), wasm: await Runtime.start({ backend: "wasm" }) };
const rt = runtimes.cpu;
const { tf } = rt;
const T = 40;
const STEPS = 7;
const lengths = Int32Array.of(T, 0, 7, 12, 21, 30, 35);
const B = lengths.length;
const D = 3;
const H = 4;

type Case = [string, Partial<RnnOptions>];
const cells: Case[] = [
  ["simple tanh", { cell: "simple" }],
  ["simple relu", { cell: "simple", activation: "relu" }],
  ["lstm", { cell: "lstm" }],
  ["gru reset-after", { cell: "gru" }],
  ["gru reset-before", { cell: "gru", resetAfter: false }],
];
const directions: Case[] = [
  ["forward", { direction: "forward" }],
  ["reverse", { direction: "reverse" }],
  ["bidirectional sum", { direction: "bidirectional" }],
  ["bidirectional concat, tied", { direction: "bidirectional", merge: "concat", tiedDirections: true }],
  ["forward, last state only", { direction: "forward", returnSequences: false }],
  ["bidirectional ave, last state only", { direction: "bidirectional", merge: "ave", returnSequences: false }],
];
const cases = cells.flatMap(([c, cell]) =>
  directions.map(([d, dir]) => [`${c}, ${d}`, { ...cell, ...dir } as Omit<RnnOptions, "units">] as const),
);

/** Every fetched value of `graph` on `feeds`, from one pass (chunk undefined) or in chunks of `steps`. */
function run(graph: Graph, feeds: Feeds, fetch: readonly string[], steps: number | undefined): Map<string, Tensor> {
  const model = assertValid(graph);
  const weights = new Map(Object.entries(initWeights(model, { seed: 11 })).map(([k, w]) => [k, rt.upload(w)]));
  const out = new Map<string, Tensor>();
  const derived = new Map<string, TfTensor>();
  tf.tidy(() => {
    const chunk = steps === undefined ? {} : { chunk: { steps, keep: new Set(fetch) } };
    const values = forward(tf, model, weights, uploadFeeds(tf, checkFeeds(model, feeds)), {
      derived,
      ...chunk,
    });
    for (const name of fetch) out.set(name, { shape: [...values.get(name)!.shape], data: readSync(values.get(name)!) });
  });
  for (const w of [...weights.values(), ...derived.values()]) w.dispose();
  return out;
}

function expectSame(actual: Map<string, Tensor>, expected: Map<string, Tensor>): void {
  for (const [name, e] of expected) {
    const a = actual.get(name)!;
    expect(a.shape, name).toEqual(e.shape);
    let worst = 0;
    for (let i = 0; i < e.data.length; i++) worst = Math.max(worst, Math.abs(a.data[i]! - e.data[i]!));
    expect(worst, `${name}: largest |chunked − whole|`).toBeLessThanOrEqual(1e-6);
  }
}

describe.each(["cpu", "wasm"] as const)("on %s, chunked inference equals one pass over the whole sequence", (name) => {
  beforeEach(async () => {
    await runtimes[name].activate();
    expect(tf.getBackend()).toBe(name);
  });

  test.each(cases)("%s, fed initial states, lengths incl. 0 and chunk boundaries", (_, options) => {
    const node = rnn("r", { ...options, units: H });
    const graph = sequential("one", [input("x", D), node]);
    const dirs = options.direction === "bidirectional" ? 2 : 1;
    const feeds: Feeds = {
      x: randomTensor([T, B, D], 5),
      lengths,
      "r/h": randomTensor([dirs, B, H], 6),
      ...(options.cell === "lstm" ? { "r/c": randomTensor([dirs, B, H], 7) } : {}),
    };
    const fetch = outputsOf(node);
    const tensorsBefore = tf.memory().numTensors;
    expectSame(run(graph, feeds, fetch, STEPS), run(graph, feeds, fetch, undefined));
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  test("three layers (forward, bidirectional, reverse) and a dense head; no lengths feed; T not a multiple", () => {
    const graph = sequential("stack", [
      input("x", D, { lengths: false }),
      rnn("a", { cell: "lstm", units: H }),
      rnn("b", { cell: "gru", units: H, direction: "bidirectional", merge: "concat" }),
      rnn("c", { cell: "simple", units: H, direction: "reverse" }),
      dense("out", { units: 2 }),
    ]);
    const feeds: Feeds = { x: randomTensor([T + 3, 2, D], 8) };
    const fetch = ["out", "a/h", "a/c", "b/h", "c/h"];
    expectSame(run(graph, feeds, fetch, STEPS), run(graph, feeds, fetch, undefined));
  });

  test("T = 0 and T equal to one chunk", () => {
    const graph = sequential("short", [
      input("x", D),
      rnn("r", { cell: "lstm", units: H, direction: "bidirectional" }),
    ]);
    for (const t of [0, STEPS]) {
      const feeds: Feeds = {
        x: randomTensor([t, 2, D], 9),
        lengths: Int32Array.of(t, 0),
        "r/h": randomTensor([2, 2, H], 1),
      };
      const fetch = ["r", "r/h", "r/c"];
      expectSame(run(graph, feeds, fetch, STEPS), run(graph, feeds, fetch, undefined));
    }
  });
});
