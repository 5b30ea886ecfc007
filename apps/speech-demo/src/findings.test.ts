import { describe, expect, test } from "vitest";
import type { RunRecord } from "./experiment.js";
import { findings } from "./findings.js";

const run = (model: string, label: string, fraction: number, seed: number, accuracy: number): RunRecord => ({
  task: "classify",
  model,
  label,
  fraction,
  seed,
  key: `${model}/${fraction}/${seed}`,
  params: 1,
  steps: 1,
  trainUtterances: 1,
  seconds: 1,
  accuracy,
  trainCurve: [],
  validCurve: [],
});

describe("findings", () => {
  test("reports a claim that does not hold, and the data needed to match the FFN", () => {
    const records = [
      run("ffn", "FFN", 1, 1, 0.55),
      run("ffn", "FFN", 1, 2, 0.53),
      run("ffn", "FFN", 0.1, 1, 0.45),
      run("ffn", "FFN", 0.1, 2, 0.45),
      run("lstm", "LSTM", 1, 1, 0.62),
      run("lstm", "LSTM", 1, 2, 0.62),
      run("lstm", "LSTM", 0.25, 1, 0.56),
      run("lstm", "LSTM", 0.25, 2, 0.56),
      run("lstm", "LSTM", 0.1, 1, 0.48),
      run("lstm", "LSTM", 0.1, 2, 0.48),
    ];
    const text = findings(records).join("\n");
    expect(text).toContain("Best frame accuracy with all training data: LSTM 62.0 %");
    // FFN drops 9 points (54 → 45), LSTM 14 (62 → 48): as a loss of accuracy the claim fails.
    expect(text).toContain("the FFN loses 9.0 points, LSTM loses 14.0 points");
    expect(text).toContain("the claim that weight sharing over time needs less data does not hold here");
    expect(text).toContain(
      "LSTM reaches the FFN's full-data accuracy (54.0 %) with 25% of the training utterances (56.0 %; at 1 vs 1 parameters)",
    );
    // 62 − 54 = 8 points; spreads: LSTM 0, FFN √2 points ≈ 1.4.
    expect(text).toContain("LSTM vs the windowed FFN at 1 vs 1 parameters: +8.0 points (larger than the spread");
  });
});
