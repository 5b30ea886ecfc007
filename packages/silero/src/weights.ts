/**
 * Silero VAD's PyTorch state dict (the `.safetensors` file) ↔ the IR's weights. The names map one to one and
 * every layout is PyTorch's, except the 1×1 `final_conv` that the IR holds as a dense layer (`[1, 128, 1]` ↔
 * `[1, 128]`, the same numbers).
 */
import { decodeSafetensors, formatShape, type Tensor, type ValidModel, type Weights } from "@recurrent/core";
import { SileroError } from "./errors.js";
import { sileroGraph } from "./graph.js";

/** PyTorch key → IR weight key, with the PyTorch shape. */
const TORCH_KEYS: readonly (readonly [torch: string, ir: string, shape: readonly number[]])[] = [
  ["stft_conv.weight", "stft_conv/weight", [258, 1, 256]],
  ["conv1.weight", "conv1/weight", [128, 129, 3]],
  ["conv1.bias", "conv1/bias", [128]],
  ["conv2.weight", "conv2/weight", [64, 128, 3]],
  ["conv2.bias", "conv2/bias", [64]],
  ["conv3.weight", "conv3/weight", [64, 64, 3]],
  ["conv3.bias", "conv3/bias", [64]],
  ["conv4.weight", "conv4/weight", [128, 64, 3]],
  ["conv4.bias", "conv4/bias", [128]],
  ["lstm_cell.weight_ih", "lstm_cell/weight_ih", [512, 128]],
  ["lstm_cell.weight_hh", "lstm_cell/weight_hh", [512, 128]],
  ["lstm_cell.bias_ih", "lstm_cell/bias_ih", [512]],
  ["lstm_cell.bias_hh", "lstm_cell/bias_hh", [512]],
  ["final_conv.weight", "final_conv/weight", [1, 128, 1]],
  ["final_conv.bias", "final_conv/bias", [1]],
];

/** The IR shape of a weight whose PyTorch shape differs (the 1×1 conv held as dense). */
const IR_SHAPES: Readonly<Record<string, readonly number[]>> = { "final_conv/weight": [1, 128] };

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/** What {@link sileroFromSafetensors} returns. */
export interface SileroModel {
  /** The full graph ({@link sileroGraph}). */
  readonly model: ValidModel;
  /** Its weights: 15 tensors, 309,633 numbers. */
  readonly weights: Weights;
}

/**
 * Maps Silero VAD's PyTorch state dict onto {@link sileroGraph}'s weights.
 * @param stateDict the 15 tensors of `silero_vad_16k.safetensors` (`stft_conv.weight`, `conv1..4.weight/bias`,
 *   `lstm_cell.weight_ih/weight_hh/bias_ih/bias_hh`, `final_conv.weight/bias`); tensors are copied.
 * @throws SileroError BAD_WEIGHTS naming every missing or extra key and every shape that differs (expected and
 *   found).
 */
export function sileroWeightsFromStateDict(stateDict: Readonly<Record<string, Tensor>>): Weights {
  const problems: string[] = [];
  const out: Record<string, Tensor> = {};
  for (const [torch, ir, shape] of TORCH_KEYS) {
    const t = Object.hasOwn(stateDict, torch) ? stateDict[torch] : undefined;
    if (t === undefined) {
      problems.push(`"${torch}" is missing (expected shape ${formatShape(shape)})`);
    } else if (!sameShape(t.shape, shape)) {
      problems.push(`"${torch}" has shape ${formatShape(t.shape)}, expected ${formatShape(shape)}`);
    } else {
      out[ir] = { shape: [...(IR_SHAPES[ir] ?? shape)], data: Float32Array.from(t.data) };
    }
  }
  const known = new Set(TORCH_KEYS.map(([torch]) => torch));
  for (const key of Object.keys(stateDict)) if (!known.has(key)) problems.push(`"${key}" is not a Silero VAD tensor`);
  if (problems.length > 0) {
    throw new SileroError(
      "BAD_WEIGHTS",
      `not the state dict of Silero VAD v5 16 kHz (${problems.length} problem${problems.length === 1 ? "" : "s"}): ${problems.join("; ")}`,
    );
  }
  return out;
}

/**
 * Silero VAD built in the IR from its `.safetensors` file (PyTorch names).
 * @param bytes the file's bytes (e.g. `silero_vad_16k.safetensors`).
 * @returns the validated full graph and its weights.
 * @throws SafetensorsError when the bytes are not a safetensors file; SileroError BAD_WEIGHTS when its tensors
 *   are not Silero VAD's (see {@link sileroWeightsFromStateDict}).
 */
export function sileroFromSafetensors(bytes: Uint8Array): SileroModel {
  const { tensors } = decodeSafetensors(bytes);
  return { model: sileroGraph(), weights: sileroWeightsFromStateDict(tensors) };
}

/**
 * The inverse mapping: IR weights (e.g. after fine-tuning) → the PyTorch state dict, to save with
 * `encodeSafetensors` and load with `model.load_state_dict` in Python.
 * @throws SileroError BAD_WEIGHTS when a weight is missing or misshaped.
 */
export function sileroStateDict(weights: Weights): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  const problems: string[] = [];
  for (const [torch, ir, shape] of TORCH_KEYS) {
    const t = Object.hasOwn(weights, ir) ? weights[ir] : undefined;
    const irShape = IR_SHAPES[ir] ?? shape;
    if (t === undefined) problems.push(`"${ir}" is missing`);
    else if (!sameShape(t.shape, irShape)) {
      problems.push(`"${ir}" has shape ${formatShape(t.shape)}, expected ${formatShape(irShape)}`);
    } else out[torch] = { shape: [...shape], data: Float32Array.from(t.data) };
  }
  if (problems.length > 0) throw new SileroError("BAD_WEIGHTS", `sileroStateDict: ${problems.join("; ")}`);
  return out;
}
