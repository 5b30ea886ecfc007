import { createRng } from "@recurrent/core";
import { mfcc } from "@recurrent/speech";
import { corpusAudio, readWavFile } from "@recurrent/speech/node";
import { describe, expect, test } from "vitest";
import { causalStatics, chunk, loadData, nextFrameExample, staticCmvn, subset } from "./data.js";

/** Rows of `a` and `b` (`[T, D]`) that differ anywhere in 0..t. */
function differsUpTo(a: Float32Array, b: Float32Array, D: number, t: number): boolean {
  for (let i = 0; i < (t + 1) * D; i++) if (a[i] !== b[i]) return true;
  return false;
}

describe("next-frame inputs are causal", () => {
  test("no input at frame t depends on audio after frame t (real recording, audio past frame t replaced)", async () => {
    const [first] = await corpusAudio();
    const { samples } = await readWavFile(first!.wav);
    const full = mfcc(samples);
    const T = full.shape[0]!;
    const causal = causalStatics(full);
    const rng = createRng(11);
    let leaky = 0;
    for (const t of [0, 3, 20, Math.floor(T / 2), T - 6]) {
      // Frame t's window is samples [160t, 160t + 400); everything after it becomes noise.
      const edited = samples.slice();
      for (let i = 160 * t + 400; i < edited.length; i++) edited[i] = rng.next() * 0.5 - 0.25;
      const again = mfcc(edited);
      expect(differsUpTo(causalStatics(again).data, causal.data, 13, t)).toBe(false);
      // The same edit does reach frame t through the 39-dim input's Δ/ΔΔ: the check can fail.
      if (differsUpTo(again.data, full.data, 39, t)) leaky++;
    }
    expect(leaky).toBe(5);
  });

  test("a next-frame example pairs the statics of frame t with those of frame t + k", async () => {
    const data = await loadData();
    const id = data.split.test[0]!;
    const cmvn = staticCmvn(data.corpus.fitCmvn(data.split.train.slice(0, 20)));
    const ex = nextFrameExample(data, cmvn, id, 2)!;
    const raw = data.corpus.features(id);
    const T = raw.shape[0]!;
    expect(ex.x.length).toBe((T - 2) * 13);
    expect(ex.y.length).toBe((T - 2) * 13);
    // Target row t is frame t+2's static coefficients, normalized by hand.
    for (const [t, d] of [
      [0, 0],
      [5, 7],
      [T - 3, 12],
    ] as const) {
      expect(ex.y[t * 13 + d]).toBeCloseTo((raw.data[(t + 2) * 39 + d]! - cmvn.mean[d]!) / cmvn.std[d]!, 5);
      expect(ex.x[t * 13 + d]).toBeCloseTo((raw.data[t * 39 + d]! - cmvn.mean[d]!) / cmvn.std[d]!, 5);
    }
    expect(nextFrameExample(data, cmvn, id, T)).toBeUndefined();
  });
});

describe("subsets and chunks", () => {
  test("subsets hold the requested share, are nested across fractions and differ across seeds", () => {
    const ids = Array.from({ length: 200 }, (_, i) => `u${String(i).padStart(3, "0")}`);
    const small = subset(ids, 0.1, 1);
    const large = subset(ids, 0.5, 1);
    expect(small).toHaveLength(20);
    expect(large).toHaveLength(100);
    expect(small.every((id) => large.includes(id))).toBe(true);
    expect(subset(ids, 0.1, 2)).not.toEqual(small);
    expect(subset(ids, 0.001, 1)).toHaveLength(1);
  });

  test("chunk cuts inputs and targets at the same frames", () => {
    const x = Float32Array.from({ length: 7 * 2 }, (_, i) => i);
    const y = Int32Array.from({ length: 7 }, (_, i) => 100 + i);
    const parts = chunk([{ x, y }], 3, 2, 1);
    expect(parts.map((p) => p.y.length)).toEqual([3, 3, 1]);
    expect([...parts[2]!.x]).toEqual([12, 13]);
    expect([...parts[1]!.y]).toEqual([103, 104, 105]);
  });
});
