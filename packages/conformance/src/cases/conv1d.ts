import { type Conv1dOptions, conv1d, dense, input } from "@recurrent/core";
import { type Case, defineCase } from "../case.js";

function convCase(name: string, description: string, options: Conv1dOptions, time = 6, lengths = [6, 1, 4]): Case {
  return defineCase({
    name,
    description,
    graph: [input("x", 3), conv1d("conv", options), dense("out", { units: 2 })],
    time: { time },
    lengths: { lengths },
  });
}

/**
 * A conv that changes the time axis (stride > 1 or `valid` padding) over an input declared without lengths
 * (every step valid), so T' = floor((T + before + after − field) / stride) + 1 (core's `outputSteps`).
 */
function stridedCase(name: string, description: string, features: number, options: Conv1dOptions, time: number): Case {
  return defineCase({
    name,
    description,
    graph: [input("x", features, { lengths: false }), conv1d("conv", options), dense("out", { units: 2 })],
    time: { time },
    lengths: {},
  });
}

/** Temporal convolution: same / causal padding, even and odd kernels, dilation; padded frames read as zeros. */
export const conv1dCases: readonly Case[] = [
  convCase("conv1d-same-k3", "conv1d same padding, kernel 3", { filters: 4, kernelSize: 3 }),
  convCase("conv1d-same-k4", "conv1d same padding with an even kernel (left pad 1, right pad 2)", {
    filters: 3,
    kernelSize: 4,
  }),
  convCase("conv1d-causal-k3", "conv1d causal padding, kernel 3", { filters: 4, kernelSize: 3, padding: "causal" }),
  convCase(
    "conv1d-same-dilation-2",
    "conv1d same padding, kernel 3, dilation 2, tanh",
    { filters: 3, kernelSize: 3, dilation: 2, activation: "tanh" },
    7,
    [7, 1, 5],
  ),
  convCase(
    "conv1d-causal-dilation-2",
    "conv1d causal padding, kernel 2, dilation 2, relu",
    { filters: 4, kernelSize: 2, dilation: 2, padding: "causal", activation: "relu" },
    7,
    [3, 1, 7],
  ),
  convCase("conv1d-no-bias-sigmoid", "conv1d without bias, sigmoid", {
    filters: 3,
    kernelSize: 2,
    useBias: false,
    activation: "sigmoid",
  }),

  // Strides and valid padding (Silero VAD's encoder and STFT), T chosen so the last frames are not all read.
  stridedCase(
    "conv1d-same-stride-2",
    "conv1d same padding, kernel 3, stride 2, relu (Silero's encoder): T 7 -> 4",
    3,
    { filters: 4, kernelSize: 3, stride: 2, activation: "relu" },
    7,
  ),
  stridedCase(
    "conv1d-valid-k4-stride-2",
    "conv1d valid padding, kernel 4, stride 2: T 9 -> 3, the last frame read by no window",
    3,
    { filters: 3, kernelSize: 4, stride: 2, padding: "valid" },
    9,
  ),
  stridedCase(
    "conv1d-valid-stft-k8-stride-4",
    "an STFT-like conv1d: one input feature, kernel 8, stride 4, valid, no bias: T 18 -> 3",
    1,
    { filters: 4, kernelSize: 8, stride: 4, padding: "valid", useBias: false },
    18,
  ),
  stridedCase(
    "conv1d-causal-stride-3-dilation-2",
    "conv1d causal padding, kernel 3, dilation 2, stride 3, tanh: T 8 -> 3",
    2,
    { filters: 3, kernelSize: 3, dilation: 2, stride: 3, padding: "causal", activation: "tanh" },
    8,
  ),
];
