import { initWeights } from "@recurrent/core";
import { describe, expect, it } from "vitest";
import { sileroDecoderGraph, sileroEncoderGraph, sileroGraph } from "./graph.js";
import { sileroStateDict, sileroWeightsFromStateDict } from "./weights.js";

describe("the Silero graphs", () => {
  it("have Silero's 309,633 parameters under PyTorch's module names", () => {
    const model = sileroGraph();
    const weights = initWeights(model, { seed: 1 });
    const sizes = Object.fromEntries(Object.entries(weights).map(([k, t]) => [k, t.shape]));
    expect(sizes).toMatchObject({
      "stft_conv/weight": [258, 1, 256],
      "conv1/weight": [128, 129, 3],
      "conv2/weight": [64, 128, 3],
      "conv3/weight": [64, 64, 3],
      "conv4/weight": [128, 64, 3],
      "lstm_cell/weight_ih": [512, 128],
      "final_conv/weight": [1, 128],
    });
    expect(Object.values(weights).reduce((n, t) => n + t.data.length, 0)).toBe(309_633);
  });

  it("keep the samples as the time axis, each time-changing node deriving its own time symbol", () => {
    const { info } = sileroGraph();
    expect(info.shapes.get("input")).toEqual(["samples", "batch", 1]);
    expect(info.shapes.get("pad")).toEqual(["pad.time", "batch", 1]);
    expect(info.shapes.get("stft_conv")).toEqual(["stft_conv.time", "batch", 258]);
    expect(info.shapes.get("magnitude")).toEqual(["stft_conv.time", "batch", 129]);
    expect(info.shapes.get("conv4")).toEqual(["conv3.time", "batch", 128]);
    expect(info.shapes.get("output")).toEqual(["batch", 1]);
  });

  it("encoder and decoder hold the full model's weight keys, split at the LSTM", () => {
    const full = Object.keys(initWeights(sileroGraph(), { seed: 1 })).sort();
    const enc = Object.keys(initWeights(sileroEncoderGraph(), { seed: 1 }));
    const dec = Object.keys(initWeights(sileroDecoderGraph(), { seed: 1 }));
    expect([...enc, ...dec].sort()).toEqual(full);
    expect(dec.sort()).toEqual([
      "final_conv/bias",
      "final_conv/weight",
      "lstm_cell/bias_hh",
      "lstm_cell/bias_ih",
      "lstm_cell/weight_hh",
      "lstm_cell/weight_ih",
    ]);
  });
});

describe("sileroWeightsFromStateDict / sileroStateDict", () => {
  it("round-trips, holding the 1×1 final conv [1, 128, 1] as dense [1, 128]", () => {
    const weights = initWeights(sileroGraph(), { seed: 2 });
    const sd = sileroStateDict(weights);
    expect(sd["final_conv.weight"]!.shape).toEqual([1, 128, 1]);
    expect(Object.keys(sd)).toHaveLength(15);
    const back = sileroWeightsFromStateDict(sd);
    for (const [k, t] of Object.entries(weights)) {
      expect(back[k]!.shape, k).toEqual(t.shape);
      expect(back[k]!.data, k).toEqual(t.data);
    }
  });

  it("names every missing, extra and misshaped tensor", () => {
    const sd = sileroStateDict(initWeights(sileroGraph(), { seed: 3 }));
    delete sd["conv2.bias"];
    sd["conv1.weight"] = { shape: [128, 129, 5], data: new Float32Array(128 * 129 * 5) };
    sd["decoder.extra"] = { shape: [1], data: new Float32Array(1) };
    expect(() => sileroWeightsFromStateDict(sd)).toThrow(
      /3 problems.*"conv1.weight" has shape \[128, 129, 5\], expected \[128, 129, 3\].*"conv2.bias" is missing.*"decoder.extra" is not a Silero VAD tensor/,
    );
  });
});
