/**
 * ONNX Conv (1-D) and Pad on the time axis → the IR's `conv1d` and `pad`. Conv's explicit pads `[begin, end]` are
 * matched against the IR's three paddings (`same`, `causal`, `valid`, whose frame counts come from core's
 * `convPads`); pads that fit none are refused, since the IR has no free-form padding.
 */
import {
  type Conv1dNode,
  type ConvPadding,
  conv1d,
  convPads,
  type Dim,
  derivedTime,
  outputSteps,
  type PadNode,
  pad,
} from "@recurrent/core";
import type { AttrValue } from "./decode.js";

/** The IR conv1d an ONNX Conv becomes (weights are the caller's: ONNX `[O, C, K]` is the IR's layout). */
export function convFromOnnx(
  id: string,
  attrs: ReadonlyMap<string, AttrValue>,
  weightDims: readonly number[],
  inFeatures: number,
  useBias: boolean,
  input: string,
): Conv1dNode {
  const list = (key: string): readonly number[] | undefined => attrs.get(key) as readonly number[] | undefined;
  if (weightDims.length !== 3) {
    throw new Error(`the weight has shape [${weightDims.join(", ")}]; only 1-D convolutions ([O, C, K]) are imported`);
  }
  const [O, C, K] = weightDims as [number, number, number];
  const group = (attrs.get("group") as number | undefined) ?? 1;
  if (group !== 1) throw new Error(`group=${group} (a grouped or depthwise convolution) has no IR form; only group 1`);
  if (C !== inFeatures) throw new Error(`the weight reads ${C} channels but the input has ${inFeatures}`);
  const kernel = list("kernel_shape");
  if (kernel !== undefined && (kernel.length !== 1 || kernel[0] !== K)) {
    throw new Error(`kernel_shape [${kernel.join(", ")}] does not match the weight's kernel ${K}`);
  }
  const stride = list("strides")?.[0] ?? 1;
  const dilation = list("dilations")?.[0] ?? 1;
  const autoPad = (attrs.get("auto_pad") as string | undefined) ?? "NOTSET";
  const base = { filters: O, kernelSize: K, dilation, activation: "linear" as const, useBias };
  const make = (padding: ConvPadding): Conv1dNode =>
    conv1d(id, { ...base, padding, ...(stride === 1 ? {} : { stride }) }, input);
  if (autoPad === "VALID") return make("valid");
  if (autoPad !== "NOTSET") throw new Error(`auto_pad=${autoPad} has no IR form; export with explicit pads`);
  const pads = list("pads") ?? [0, 0];
  const [begin, end] = pads as [number, number];
  // At a field of one frame every padding reads the same frames: prefer `same`, which keeps lengths feeds usable.
  const order: ConvPadding[] = ["same", "causal", "valid"];
  for (const padding of order) {
    const node = make(padding);
    const p = convPads(node);
    if (p.before === begin && p.after === end) return node;
  }
  const field = dilation * (K - 1) + 1;
  throw new Error(
    `pads [${begin}, ${end}] (kernel ${K}, dilation ${dilation}) fit none of the IR's paddings: same [${Math.floor((field - 1) / 2)}, ${field - 1 - Math.floor((field - 1) / 2)}], causal [${field - 1}, 0], valid [0, 0]`,
  );
}

/** The time steps after a conv1d or pad: a number when the input's are, else the symbol `<id>.time`. */
export function stepsAfter(node: Conv1dNode | PadNode, steps: Dim): Dim {
  return typeof steps === "number" ? outputSteps(node, steps) : derivedTime(node);
}

/**
 * The IR pad an ONNX Pad becomes. `pads` is ONNX's `[b0, b1, …, e0, e1, …]` over the input's axes; `timeAxis` is the
 * position of the time axis in them; every other axis must be padded by 0.
 */
export function padFromOnnx(
  id: string,
  modeAttr: string,
  pads: readonly number[],
  timeAxis: number,
  fill: number,
  input: string,
): PadNode {
  const rank = pads.length / 2;
  for (let a = 0; a < rank; a++) {
    if (a !== timeAxis && (pads[a] !== 0 || pads[a + rank] !== 0)) {
      throw new Error(`pads [${pads.join(", ")}] pad axis ${a}, not only the time axis ${timeAxis}; the IR pads time`);
    }
  }
  const before = pads[timeAxis] as number;
  const after = pads[timeAxis + rank] as number;
  if (before < 0 || after < 0) throw new Error(`negative pads [${pads.join(", ")}] (a crop) have no IR form`);
  let mode: "zero" | "reflect";
  if (modeAttr === "constant") {
    if (fill !== 0) throw new Error(`a constant pad with value ${fill} has no IR form (only 0)`);
    mode = "zero";
  } else if (modeAttr === "reflect") {
    mode = "reflect";
  } else {
    throw new Error(`mode "${modeAttr}" has no IR form (constant 0 or reflect)`);
  }
  return pad(id, { before, after, mode }, input);
}
