/**
 * Silero VAD v5 (16 kHz) as Recurrent IR graphs. The samples are the time axis: one call reads `[576, B, 1]`
 * (64 samples of context + 512 new), reflect-pads 64 samples behind, takes 4 STFT frames with a strided
 * convolution, their magnitudes, four convolutions that shrink 4 frames to 1, one LSTM step and a sigmoid head.
 * Node ids follow the PyTorch module names so that weight keys read `conv1/weight`, `lstm_cell/weight_ih`, ….
 */
import {
  activation,
  assertValid,
  conv1d,
  dense,
  dropout,
  graph,
  input,
  type LayerNode,
  lstm,
  magnitude,
  pad,
  pool,
  stateInput,
  type ValidModel,
} from "@recurrent/core";
import { CONTEXT_SAMPLES, UNITS } from "./constants.js";

/** Node ids and value names of the Silero graphs. */
export const SILERO_IDS = {
  /** Samples `[576, B, 1]` (full model and encoder). */
  input: "input",
  /** Initial LSTM state inputs `[1, B, 128]`. */
  h0: "h0",
  c0: "c0",
  /** The encoder's output: `[1, B, 128]` per call. */
  encoder: "conv4",
  lstm: "lstm_cell",
  /** The LSTM's final states `[1, B, 128]` (the model's `stateN` is h then c). */
  h: "lstm_cell/h",
  c: "lstm_cell/c",
  /** The full model's speech probability `[B, 1]`. */
  output: "output",
  /** The sigmoid head; the decoder's output, one probability per chunk `[chunks, B, 1]`. */
  head: "final_conv",
  /** The decoder's input: encoder features `[chunks, B, 128]` with lengths. */
  features: "features",
  lengths: "lengths",
} as const;

/** The frozen front end: reflect pad → STFT conv → magnitude → conv1..conv4 (ReLU). Reads `input`. */
function encoderNodes(): LayerNode[] {
  return [
    input(SILERO_IDS.input, 1, { lengths: false, time: "samples" }),
    pad("pad", { after: CONTEXT_SAMPLES, mode: "reflect" }, SILERO_IDS.input),
    conv1d("stft_conv", { filters: 258, kernelSize: 256, stride: 128, padding: "valid", useBias: false }, "pad"),
    magnitude("magnitude", "stft_conv"),
    conv1d("conv1", { filters: 128, kernelSize: 3, activation: "relu" }, "magnitude"),
    conv1d("conv2", { filters: 64, kernelSize: 3, stride: 2, activation: "relu" }, "conv1"),
    conv1d("conv3", { filters: 64, kernelSize: 3, stride: 2, activation: "relu" }, "conv2"),
    conv1d(SILERO_IDS.encoder, { filters: UNITS, kernelSize: 3, activation: "relu" }, "conv3"),
  ];
}

/**
 * The whole model, one call per 32 ms: inputs `input [576, B, 1]` (no lengths), `h0`, `c0` `[1, B, 128]`;
 * output `output [B, 1]` (the speech probability: the mean over the one remaining frame); fetch `lstm_cell/h`
 * and `lstm_cell/c` for the next call's state.
 */
export function sileroGraph(): ValidModel {
  return assertValid(
    graph(
      "silero_vad_16k",
      [
        ...encoderNodes(),
        stateInput(SILERO_IDS.h0, UNITS),
        stateInput(SILERO_IDS.c0, UNITS),
        lstm(SILERO_IDS.lstm, { units: UNITS }, SILERO_IDS.encoder, SILERO_IDS.h0, SILERO_IDS.c0),
        activation("relu", "relu", SILERO_IDS.lstm),
        dense(SILERO_IDS.head, { units: 1, activation: "sigmoid" }, "relu"),
        pool(SILERO_IDS.output, "mean", SILERO_IDS.head),
      ],
      [SILERO_IDS.output],
    ),
  );
}

/**
 * The frozen encoder alone: `input [576, N, 1]` → `conv4 [1, N, 128]`. Batch N chunks (each with its own 64
 * samples of context) to compute the features of a whole file in one run.
 */
export function sileroEncoderGraph(): ValidModel {
  return assertValid(graph("silero_vad_16k_encoder", encoderNodes(), [SILERO_IDS.encoder]));
}

/**
 * The decoder the official recipe trains, over a sequence of chunks: `features [chunks, B, 128]` with `lengths`
 * → LSTM(128) → dropout 0.1 → ReLU → dense(1) sigmoid → `final_conv [chunks, B, 1]`, one probability per chunk.
 * Its weight keys (`lstm_cell/*`, `final_conv/*`) are the full model's.
 */
export function sileroDecoderGraph(): ValidModel {
  return assertValid(
    graph(
      "silero_vad_16k_decoder",
      [
        input(SILERO_IDS.features, UNITS, { lengths: SILERO_IDS.lengths, time: "chunks" }),
        lstm(SILERO_IDS.lstm, { units: UNITS }, SILERO_IDS.features),
        dropout("dropout", 0.1, SILERO_IDS.lstm),
        activation("relu", "relu", "dropout"),
        dense(SILERO_IDS.head, { units: 1, activation: "sigmoid" }, "relu"),
      ],
      [SILERO_IDS.head],
    ),
  );
}
