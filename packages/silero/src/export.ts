/**
 * Silero VAD to ONNX with the official file's contract, so existing wrappers (the Python `OnnxWrapper`,
 * onnxruntime-web VAD libraries) load a fine-tuned model unchanged:
 *
 *   inputs  `input` float [batch, samples] (64 context + 512 new), `state` float [2, batch, 128], `sr` int64 []
 *   outputs `output` float [batch, 1], `stateN` float [2, batch, 128]
 *
 * The IR export of {@link sileroGraph} (time-major `[samples, batch, 1]`, states `h0`, `c0`) is wrapped with a
 * Transpose + Unsqueeze of the samples, a Split of the state and a Concat of the final states. `sr` is read and
 * multiplied by zero into `stateN`, as the official file does, so runtimes that drop unused inputs keep it.
 */
import type { ValidModel, Weights } from "@recurrent/core";
import {
  type AttributeProto,
  encodeOnnxModel,
  exportOnnxProto,
  type NodeProto,
  OnnxDataType,
  type TensorProto,
  type ValueInfoProto,
} from "@recurrent/onnx";
import { UNITS } from "./constants.js";
import { SileroError } from "./errors.js";
import { SILERO_IDS } from "./graph.js";

const { FLOAT, INT64 } = OnnxDataType;

/** The names of the original contract. */
export const SILERO_ONNX_NAMES = {
  input: "input",
  state: "state",
  sr: "sr",
  output: "output",
  stateN: "stateN",
} as const;

function valueInfo(name: string, elemType: ValueInfoProto["elemType"], shape: (number | string)[]): ValueInfoProto {
  return { name, elemType, shape };
}

function int64s(name: string, dims: number[], values: readonly number[]): TensorProto {
  return { name, dims, data: BigInt64Array.from(values, BigInt) };
}

function node(opType: string, inputs: string[], outputs: string[], attributes: AttributeProto[] = []): NodeProto {
  return { opType, name: `silero_wrap/${outputs[0]}`, inputs, outputs, attributes };
}

/**
 * Exports the full Silero model with the official ONNX contract (see the module comment).
 * @param model {@link sileroGraph} (the original or any model with its ids: `input`, `h0`, `c0`, `output`,
 *   `lstm_cell`).
 * @param weights its weights, e.g. the fine-tuned ones.
 * @param opset ai.onnx opset, 17 (default) .. 26.
 * @returns the ONNX ModelProto bytes.
 * @throws SileroError BAD_WEIGHTS when the model lacks Silero's inputs or outputs; OnnxExportError from the IR
 *   export (missing or misshaped weights, opset out of range).
 */
export function exportSileroOnnx(model: ValidModel, weights: Weights, opset?: number): Uint8Array {
  const ids = new Set(model.nodes.map((n) => n.id));
  const missing = [SILERO_IDS.input, SILERO_IDS.h0, SILERO_IDS.c0, SILERO_IDS.lstm, SILERO_IDS.output].filter(
    (id) => !ids.has(id),
  );
  if (missing.length > 0) {
    throw new SileroError(
      "BAD_WEIGHTS",
      `exportSileroOnnx needs the full Silero graph (sileroGraph()); model "${model.name}" has no node ${missing.map((m) => `"${m}"`).join(", ")}`,
    );
  }
  const { proto } = exportOnnxProto(model, weights, opset === undefined ? {} : { opset });
  const g = proto.graph;

  // The IR graph's own inputs become internal values fed by the wrapper.
  const internal: Record<string, string> = {
    [SILERO_IDS.input]: "silero_wrap/samples_tbf",
    [SILERO_IDS.h0]: "silero_wrap/h0",
    [SILERO_IDS.c0]: "silero_wrap/c0",
  };
  const irNodes = g.nodes.map((n) => ({ ...n, inputs: n.inputs.map((name) => internal[name] ?? name) }));

  const { input, state, sr, output, stateN } = SILERO_ONNX_NAMES;
  const wrapIn = [
    node("Transpose", [input], ["silero_wrap/samples_tb"], [{ name: "perm", type: "ints", value: [1, 0] }]),
    node("Unsqueeze", ["silero_wrap/samples_tb", "silero_wrap/axis2"], [internal[SILERO_IDS.input]!]),
    node(
      "Split",
      [state, "silero_wrap/split_1_1"],
      [internal[SILERO_IDS.h0]!, internal[SILERO_IDS.c0]!],
      [{ name: "axis", type: "int", value: 0 }],
    ),
  ];
  const wrapOut = [
    node("Concat", [SILERO_IDS.h, SILERO_IDS.c], ["silero_wrap/state_hc"], [{ name: "axis", type: "int", value: 0 }]),
    // stateN = concat(h, c) + float(sr · 0): sr is consumed, as in the official file, and changes nothing.
    node("Mul", [sr, "silero_wrap/zero"], ["silero_wrap/sr_zero"]),
    node("Cast", ["silero_wrap/sr_zero"], ["silero_wrap/sr_zero_f"], [{ name: "to", type: "int", value: FLOAT }]),
    node("Add", ["silero_wrap/state_hc", "silero_wrap/sr_zero_f"], [stateN]),
  ];
  return encodeOnnxModel({
    ...proto,
    graph: {
      ...g,
      nodes: [...wrapIn, ...irNodes, ...wrapOut],
      initializers: [
        ...g.initializers,
        int64s("silero_wrap/axis2", [1], [2]),
        int64s("silero_wrap/split_1_1", [2], [1, 1]),
        int64s("silero_wrap/zero", [], [0]),
      ],
      inputs: [
        valueInfo(input, FLOAT, ["batch", "samples"]),
        valueInfo(state, FLOAT, [2, "batch", UNITS]),
        valueInfo(sr, INT64, []),
      ],
      outputs: [valueInfo(output, FLOAT, ["batch", 1]), valueInfo(stateN, FLOAT, [2, "batch", UNITS])],
    },
    // The recurrent.* metadata describe the IR graph's inputs, which the wrapper replaced.
    metadataProps: [
      {
        key: "silero_vad.contract",
        value:
          "input float [batch, 64 + 512 samples at 16 kHz], state float [2, batch, 128], sr int64 -> output float [batch, 1], stateN float [2, batch, 128]",
      },
    ],
  });
}
