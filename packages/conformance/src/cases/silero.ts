import { activation, conv1d, dense, graph, input, lstm, magnitude, pad, pool, stateInput } from "@recurrent/core";
import { type Case, defineCase } from "../case.js";

/**
 * Silero VAD's graph in miniature, every op it needs in its order: reflect pad → STFT as a valid strided conv →
 * magnitude → same-padded strided conv + relu → LSTM with state inputs (states returned) → relu → dense 1 sigmoid
 * → mean over time. Audio samples are the time axis (input without lengths).
 */
export const sileroCases: readonly Case[] = [
  defineCase({
    name: "silero-mini",
    description:
      "reflect pad 2 -> conv k4 s2 valid (6 filters) -> magnitude -> conv k3 s2 same relu -> LSTM(3) " +
      "with wired h/c -> relu -> dense 1 sigmoid -> pool mean: T 14 -> 16 -> 7 -> 4 -> [B, 1]",
    graph: graph(
      "silero-mini",
      [
        input("audio", 1, { lengths: false }),
        stateInput("h0", 3),
        stateInput("c0", 3),
        pad("reflect", { after: 2, mode: "reflect" }, "audio"),
        conv1d("stft", { filters: 6, kernelSize: 4, stride: 2, padding: "valid", useBias: false }, "reflect"),
        magnitude("spectrum", "stft"),
        conv1d("encoder", { filters: 4, kernelSize: 3, stride: 2, activation: "relu" }, "spectrum"),
        lstm("lstm", { units: 3 }, "encoder", "h0", "c0"),
        activation("relu", "relu", "lstm"),
        dense("decoder", { units: 1, activation: "sigmoid" }, "relu"),
        pool("prob", "mean", "decoder"),
      ],
      ["prob", "lstm/h", "lstm/c"],
    ),
    time: { time: 14 },
    lengths: {},
  }),
];
