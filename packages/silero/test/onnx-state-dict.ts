/**
 * The official ONNX file's weights as a PyTorch-named state dict, read by initializer name. The file's weights are
 * not the safetensors file's (another checkpoint: only the STFT basis is equal), so parity against onnxruntime
 * needs these. Test-only: it reads the initializers with @recurrent/onnx's internal decoder.
 */
import type { Tensor } from "@recurrent/core";
import { type DecodedGraph, type DecodedTensor, decodeModel } from "../../onnx/src/import/decode.js";

/** PyTorch key of `silero_vad_16k.safetensors` → initializer name in `silero_vad_16k_op15.onnx`. */
const ONNX_NAMES: Readonly<Record<string, string>> = {
  "stft_conv.weight": "model.stft.forward_basis_buffer",
  ...Object.fromEntries(
    [0, 1, 2, 3].flatMap((i) =>
      ["weight", "bias"].map((p) => [`conv${i + 1}.${p}`, `model.encoder.${i}.reparam_conv.${p}`]),
    ),
  ),
  ...Object.fromEntries(
    ["weight_ih", "weight_hh", "bias_ih", "bias_hh"].map((p) => [`lstm_cell.${p}`, `model.decoder.rnn.${p}`]),
  ),
  "final_conv.weight": "model.decoder.decoder.2.weight",
  "final_conv.bias": "model.decoder.decoder.2.bias",
};

function initializers(g: DecodedGraph, into: Map<string, DecodedTensor>): Map<string, DecodedTensor> {
  for (const t of g.initializers) into.set(t.name, t);
  for (const n of g.nodes) {
    for (const v of n.attrs.values()) if (typeof v === "object" && "nodes" in v) initializers(v, into);
  }
  return into;
}

/** The 15 tensors of the ONNX file under the safetensors file's names. */
export function onnxStateDict(bytes: Uint8Array): Record<string, Tensor> {
  const all = initializers(decodeModel(bytes).graph, new Map());
  return Object.fromEntries(
    Object.entries(ONNX_NAMES).map(([key, name]) => {
      const t = all.get(name);
      if (t === undefined) throw new Error(`the ONNX file has no initializer "${name}" (for ${key})`);
      return [key, { shape: [...t.dims], data: Float32Array.from(t.data) }];
    }),
  );
}
