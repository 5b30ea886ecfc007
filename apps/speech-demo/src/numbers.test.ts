/**
 * The numbers the demo reports, against values counted by hand on tiny inputs (issue #15 item 5). Each of the
 * three deliberate bugs that passed the old suite now fails here — each was tried on 2026-12-04:
 * - scoring frame t against frame t+1's label (classify.ts) → "frame accuracy" expects 4/6, gets 0/6;
 * - keeping only the first seed in the table (summary.ts) → "mean ± spread" expects 60.0 ± 10.0 %, gets 50.0 %;
 * - doubling the repeat-last baseline MSE (next-frame.ts) → "baseline" expects 2.5, gets 5.
 */
import type { Executable, Feeds, ValidModel } from "@recurrent/core";
import { Cmvn } from "@recurrent/speech";
import { describe, expect, test } from "vitest";
import type { CorpusData } from "./data.js";
import { subset } from "./data.js";
import type { RunRecord } from "./experiment.js";
import { classifyTable, nextFrameTable } from "./summary.js";
import { evaluateClassifier } from "./tasks/classify.js";
import { evaluatePredictor } from "./tasks/next-frame.js";

/** A corpus of hand-made utterances: every one of the 39 dims of frame t holds `values[t]`. */
function corpus(utterances: Record<string, { values: number[]; labels?: number[] }>): CorpusData {
  return {
    corpus: {
      features: (id: string) => {
        const { values } = utterances[id]!;
        const data = new Float32Array(values.length * 39);
        values.forEach((v, t) => {
          data.fill(v, t * 39, (t + 1) * 39);
        });
        return { shape: [values.length, 39], data };
      },
      labels: (id: string) => ({
        shape: [utterances[id]!.values.length],
        data: Int32Array.from(utterances[id]!.labels ?? []),
      }),
    },
    split: { train: [], valid: [], test: Object.keys(utterances) },
  } as unknown as CorpusData;
}

const identity = (D: number) => new Cmvn(new Float32Array(D), new Float32Array(D).fill(1), 1);

/** An executable computing `out` from the padded input `[T, B, D]` frame by frame. */
function fakeExe(O: number, f: (frame: Float32Array) => ArrayLike<number>): Executable {
  return {
    model: {} as ValidModel,
    async run(feeds: Feeds) {
      const x = feeds.frames as { shape: number[]; data: Float32Array };
      const [T, B, D] = x.shape as [number, number, number];
      const out = new Float32Array(T * B * O);
      for (let i = 0; i < T * B; i++) out.set(f(x.data.subarray(i * D, (i + 1) * D)), i * O);
      return { out: { shape: [T, B, O], data: out } };
    },
    async dispose() {},
  };
}

describe("frame accuracy", () => {
  test("each frame is scored against its own label: 4 of 6 frames over two utterances", async () => {
    // The fake model predicts class round(x) with x the frame's value: a → 1 1 2 3, b → 0 5.
    // labels a: 1 2 2 3 (frame 1 wrong), b: 0 4 (frame 1 wrong) → 3 + 1 = 4 of 6.
    const data = corpus({ a: { values: [1, 1, 2, 3], labels: [1, 2, 2, 3] }, b: { values: [0, 5], labels: [0, 4] } });
    const exe = fakeExe(40, (frame) => {
      const logits = new Float32Array(40);
      logits[Math.round(frame[0]!)] = 1;
      return logits;
    });
    const ev = await evaluateClassifier(exe, data, identity(39), ["a", "b"]);
    expect(ev.frames).toBe(6);
    expect(ev.accuracy).toBe(4 / 6);
    expect(ev.confusion[2 * 40 + 1]).toBe(1); // true 2, predicted 1 (a, frame 1)
    expect(ev.confusion[4 * 40 + 5]).toBe(1); // true 4, predicted 5 (b, frame 1)
    expect(ev.confusion.reduce((s, v) => s + v, 0)).toBe(6);
    expect([...ev.predictions[0]!]).toEqual([1, 1, 2, 3]);
  });
});

describe("next-frame MSE and the repeat-last baseline", () => {
  // statics 0, 1, 3 (all 13 dims alike), horizon 1: inputs frames 0..1 = [0, 1], targets frames 1..2 = [1, 3].
  // repeat-last: ((0 − 1)² + (1 − 3)²) / 2 = 2.5 per value; predicting 0: (1² + 3²) / 2 = 5.
  const data = corpus({ u: { values: [0, 1, 3] } });

  test("the baseline is the mean squared change from frame t to t+1", async () => {
    const zero = fakeExe(13, () => new Float32Array(13));
    const ev = await evaluatePredictor(zero, data, identity(13), ["u"], 1);
    expect(ev.baselineMse).toBe(2.5);
    expect(ev.mse).toBe(5);
    expect(ev.frames).toBe(2);
  });

  test("a model that repeats its input scores exactly the baseline", async () => {
    const repeat = fakeExe(13, (frame) => frame.slice(0, 13));
    const ev = await evaluatePredictor(repeat, data, identity(13), ["u"], 1);
    expect(ev.mse).toBe(ev.baselineMse);
  });
});

/** A finished run with only the fields the tables read. */
function record(model: string, label: string, fraction: number, seed: number, fields: Partial<RunRecord>): RunRecord {
  return {
    task: "classify",
    model,
    label,
    fraction,
    seed,
    key: `${model}/${fraction}/${seed}`,
    params: 100,
    steps: 10,
    trainUtterances: 1,
    seconds: seed,
    trainCurve: [],
    validCurve: [],
    ...fields,
  };
}

describe("the result tables", () => {
  test("mean ± sample standard deviation over seeds; one column per data fraction, largest first", () => {
    const records = [
      // LSTM at 100 %: 0.5, 0.6, 0.7 → mean 60.0, sample std 10.0; at 10 %: 0.40, 0.44, 0.48 → 44.0 ± 4.0
      ...[0.5, 0.6, 0.7].map((a, i) => record("lstm", "LSTM", 1, i + 1, { accuracy: a })),
      ...[0.4, 0.44, 0.48].map((a, i) => record("lstm", "LSTM", 0.1, i + 1, { accuracy: a })),
      // the GRU ran on all data only, one seed
      record("gru", "GRU", 1, 1, { accuracy: 0.625 }),
    ];
    const t = classifyTable(records);
    expect(t.headers).toEqual([
      "model",
      "params",
      "streams",
      "accuracy @ 100% data",
      "accuracy @ 10% data",
      "seeds",
      "train s/run",
    ]);
    expect(t.rows[0]).toEqual(["LSTM", "100", "yes", "60.0 ± 10.0 %", "44.0 ± 4.0 %", "3", "2"]);
    expect(t.rows[1]).toEqual(["GRU", "100", "yes", "62.5 %", "", "1", "1"]);
  });

  test("next-frame rows: MSE, baseline and their ratio, each averaged over seeds", () => {
    const nf = (seed: number, mse: number, baselineMse: number) =>
      record("lstm", "LSTM", 1, seed, { task: "next-frame", mse, baselineMse });
    // ratios 0.8 and 0.9 → 0.850 ± 0.071; MSE 0.16, 0.18 → 0.1700 ± 0.0141
    const t = nextFrameTable([nf(1, 0.16, 0.2), nf(2, 0.18, 0.2)]);
    expect(t.rows).toEqual([["LSTM", "100", "0.1700 ± 0.0141", "0.2000 ± 0.0000", "0.850 ± 0.071", "2"]]);
  });

  test("data fractions: round(n · f) utterances (at least one), nested for one seed", () => {
    const ids = Array.from({ length: 398 }, (_, i) => `u${String(i).padStart(3, "0")}`);
    const sizes = [0.1, 0.25, 0.5, 1].map((f) => subset(ids, f, 1).length);
    expect(sizes).toEqual([40, 100, 199, 398]); // 39.8 → 40, 99.5 → 100, 199, 398
    expect(subset(ids.slice(0, 3), 0.1, 1)).toHaveLength(1);
    const small = new Set(subset(ids, 0.1, 2));
    const larger = new Set(subset(ids, 0.25, 2));
    expect([...small].every((id) => larger.has(id))).toBe(true);
  });
});
