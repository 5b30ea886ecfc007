/**
 * The official ONNX file (`silero_vad_16k_op15.onnx`) as {@link sileroGraph} + weights: @recurrent/onnx's importer
 * reads the file (its `If` branches folded for 576 samples and `sr` = 16000), and its weights are renamed onto the
 * PyTorch names of {@link sileroGraph} by the order of the nodes that hold them. The ONNX file's weights are another
 * checkpoint than `silero_vad_16k.safetensors`'s, so this is the way to the official file's numbers.
 */

import type { LayerNode, Tensor } from "@recurrent/core";
import { type ImportedOnnx, importOnnx, OnnxImportError } from "@recurrent/onnx";
import { SAMPLE_RATE, WINDOW_SAMPLES } from "./constants.js";
import { SileroError } from "./errors.js";
import { sileroGraph } from "./graph.js";
import { type SileroModel, sileroWeightsFromStateDict } from "./weights.js";

/** The PyTorch modules in the order their nodes come in the file, with the op that holds each. */
const MODULES: readonly (readonly [module: string, ops: readonly LayerNode["op"][]])[] = [
  ["stft_conv", ["conv1d"]],
  ["conv1", ["conv1d"]],
  ["conv2", ["conv1d"]],
  ["conv3", ["conv1d"]],
  ["conv4", ["conv1d"]],
  ["lstm_cell", ["rnn"]],
  ["final_conv", ["conv1d", "dense"]],
];

/**
 * Silero VAD from the official ONNX file.
 * @param bytes the file's bytes (`silero_vad_16k_op15.onnx`, or an export with the same contract).
 * @returns {@link sileroGraph} with the file's weights.
 * @throws SileroError BAD_WEIGHTS when the importer refuses the file (its message appended) or the imported graph
 *   does not hold Silero's layers in Silero's order or shapes.
 */
export function sileroFromOnnx(bytes: Uint8Array): SileroModel {
  let imported: ImportedOnnx;
  try {
    imported = importOnnx(bytes, { dims: { sequence: WINDOW_SAMPLES }, constants: { sr: SAMPLE_RATE } });
  } catch (e) {
    if (!(e instanceof OnnxImportError)) throw e;
    // The official file has a `sequence` samples dim and an `sr` input; anything else is not Silero's contract.
    throw new SileroError(
      "BAD_WEIGHTS",
      `not Silero VAD v5's ONNX contract (input [batch, sequence], sr): ${e.message}`,
    );
  }
  const holders = imported.model.nodes.filter((n) =>
    Object.keys(imported.weights).some((k) => k.startsWith(`${n.id}/`)),
  );
  const found = holders.map((n) => n.op).join(", ");
  const ok = holders.length === MODULES.length && holders.every((n, i) => MODULES[i]![1].includes(n.op));
  if (!ok) {
    throw new SileroError(
      "BAD_WEIGHTS",
      `not Silero VAD v5: expected weights on ${MODULES.map(([m, ops]) => `${m} (${ops.join("/")})`).join(", ")}; the file has them on ${found || "no node"}`,
    );
  }
  const stateDict: Record<string, Tensor> = {};
  holders.forEach((n, i) => {
    const module = MODULES[i]![0];
    for (const [key, t] of Object.entries(imported.weights)) {
      if (!key.startsWith(`${n.id}/`)) continue;
      const param = key.slice(n.id.length + 1);
      // A 1×1 conv imported as dense holds [1, 128]; the state dict's conv weight is [1, 128, 1].
      const shape = module === "final_conv" && param === "weight" && t.shape.length === 2 ? [...t.shape, 1] : t.shape;
      stateDict[`${module}.${param}`] = { shape, data: t.data };
    }
  });
  return { model: sileroGraph(), weights: sileroWeightsFromStateDict(stateDict) };
}
