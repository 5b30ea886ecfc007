/**
 * `exportOnnx`: a validated model and its weights → ONNX bytes that onnxruntime runs with the same numbers.
 * One exporter per op, in a table mapped over `Op`, so a new op does not compile until it is exported here.
 */
import {
  type LayerNode,
  type NodeOf,
  type Op,
  outputsOf,
  type Shape,
  stateOutputs,
  type ValidModel,
  type Weights,
} from "@recurrent/core";
import { DataType, encodeModel, type ModelProto } from "../proto/onnx.js";
import { exportActivation } from "./activation.js";
import { exportAdd } from "./add.js";
import { exportConcat } from "./concat.js";
import { ExportContext } from "./context.js";
import { exportConv1d } from "./conv1d.js";
import { exportDense } from "./dense.js";
import { exportDropout } from "./dropout.js";
import { OnnxExportError } from "./errors.js";
import { exportFrameStack } from "./frame-stack.js";
import { exportInput } from "./input.js";
import { exportLastStep } from "./last-step.js";
import { exportMagnitude } from "./magnitude.js";
import { metadataEntries, type OnnxStatePair } from "./metadata.js";
import { DEFAULT_OPSET, type ExportOptions, irVersionFor } from "./options.js";
import { topologicalOrder } from "./order.js";
import { exportPad } from "./pad.js";
import { exportPool } from "./pool.js";
import { exportRepeat } from "./repeat.js";
import { exportRnn, stateInputName } from "./rnn.js";

type Exporter<K extends Op> = (ctx: ExportContext, node: NodeOf<K>) => void;

/** The exporter of every op. */
const EXPORTERS: { readonly [K in Op]: Exporter<K> } = {
  input: exportInput,
  dense: exportDense,
  activation: exportActivation,
  dropout: exportDropout,
  frameStack: exportFrameStack,
  conv1d: exportConv1d,
  rnn: exportRnn,
  lastStep: exportLastStep,
  pool: exportPool,
  repeat: exportRepeat,
  concat: exportConcat,
  add: exportAdd,
  pad: exportPad,
  magnitude: exportMagnitude,
};

/**
 * Whether a node can be exported faithfully: `true`, or the reason it cannot. Every op and option of the IR
 * has an ONNX form today; the table is kept so that a new op states its answer.
 */
export const EXPORT_SUPPORT: { readonly [K in Op]: (node: NodeOf<K>) => true | string } = {
  input: () => true,
  dense: () => true,
  activation: () => true,
  dropout: () => true,
  frameStack: () => true,
  conv1d: () => true,
  rnn: () => true,
  lastStep: () => true,
  pool: () => true,
  repeat: () => true,
  concat: () => true,
  add: () => true,
  pad: () => true,
  magnitude: () => true,
};

/** `true`, or why `node` cannot be exported. */
export function exportSupport(node: LayerNode): true | string {
  return (EXPORT_SUPPORT[node.op] as (n: LayerNode) => true | string)(node);
}

/** One graph input of an exported model and the feed that fills it. */
export interface OnnxInput {
  /** The ONNX graph-input name. */
  readonly name: string;
  /** `input`: a graph input node; `lengths`: an int32 `[batch]` lengths feed; `state`: an initial rnn state. */
  readonly kind: "input" | "lengths" | "state";
  /** The name users feed it under: the same, except states (`<id>/h` for the input `<id>/h_0`). */
  readonly feed: string;
  readonly shape: Shape;
}

/** An exported model with its signature. */
export interface OnnxModel {
  readonly bytes: Uint8Array;
  readonly opset: number;
  readonly irVersion: number;
  readonly inputs: readonly OnnxInput[];
  /** Graph outputs (IR value names) with their inferred shapes. */
  readonly outputs: ReadonlyMap<string, Shape>;
  /** Each state input with the output that returns its value after a chunk (also in `recurrent.states`). */
  readonly states: readonly OnnxStatePair[];
}

/** An exported model before encoding: the ModelProto message, with the signature {@link OnnxModel} describes. */
export interface OnnxModelProto extends Omit<OnnxModel, "bytes"> {
  /** The message {@link exportOnnxModel} encodes; edit a copy and encode it with `encodeOnnxModel`. */
  readonly proto: ModelProto;
}

/**
 * Exports a model and describes its inputs and outputs (what {@link exportOnnx} returns the bytes of).
 * @throws OnnxExportError UNSUPPORTED (a node without a faithful ONNX form), WEIGHTS (missing or misshaped
 *   weight), BAD_OPTIONS (opset out of 17..26, unknown extra output, malformed metadata, the removed
 *   `initialStates` option), NAME_CLASH (a state-input name taken).
 */
export function exportOnnxModel(model: ValidModel, weights: Weights, options: ExportOptions = {}): OnnxModel {
  const { proto, ...signature } = exportOnnxProto(model, weights, options);
  return { bytes: encodeModel(proto), ...signature };
}

/**
 * {@link exportOnnxModel} without the encoding: the plain `ModelProto` object (nodes, initializers as typed
 * arrays, inputs, outputs, metadata) for a wrapper that adds nodes or renames inputs before `encodeOnnxModel`.
 * The objects are read-only (initializers may share the weights' arrays); build edited copies with spreads.
 * @throws OnnxExportError see {@link exportOnnxModel}.
 */
export function exportOnnxProto(model: ValidModel, weights: Weights, options: ExportOptions = {}): OnnxModelProto {
  if ((options as { initialStates?: unknown }).initialStates !== undefined) {
    // JavaScript callers of 0.1 may still pass it; its "optional" form was silently wrong in onnxruntime-node.
    throw new OnnxExportError(
      "BAD_OPTIONS",
      "the initialStates option was removed: initial states are always plain graph inputs <id>/h_0, <id>/c_0 " +
        "(feed zeros to start a sequence); hint: drop the option (see docs/onnx-deployment.md)",
    );
  }
  const opset = options.opset ?? DEFAULT_OPSET;
  const irVersion = irVersionFor(opset);
  for (const node of model.nodes) {
    const support = exportSupport(node);
    if (support !== true) {
      throw new OnnxExportError(
        "UNSUPPORTED",
        `node "${node.id}" (${node.op}) cannot be exported: ${support}`,
        node.id,
      );
    }
  }
  const values = model.nodes.flatMap((n) => outputsOf(n));
  const lengthFeeds = [...new Set(model.info.lengthsOf.values())].filter((l): l is string => l !== undefined);
  const stateInputs = unwiredStates(model.nodes);
  const reserved = new Set([...values, ...lengthFeeds]);
  for (const { name, node } of stateInputs) {
    if (reserved.has(name)) {
      throw new OnnxExportError(
        "NAME_CLASH",
        `node "${node}" (rnn): its initial-state input would be named "${name}", which is already a value or feed ` +
          "of the graph; hint: rename the node that produces it",
        node,
      );
    }
    reserved.add(name);
  }
  const outputs = outputNames(model, options.extraOutputs ?? []);

  const ctx = new ExportContext(model, weights, opset, reserved);
  for (const node of topologicalOrder(model.nodes)) (EXPORTERS[node.op] as Exporter<Op>)(ctx, node as never);

  const outputShapes = new Map(outputs.map((name) => [name, ctx.shapeOf(name)] as const));
  const states = stateInputs.map(
    ({ name, feed }): OnnxStatePair => ({
      input: name,
      output: feed,
      shape: ctx.inputs.find((i) => i.name === name)!.shape,
    }),
  );
  const lengths = new Map<string, string>();
  for (const node of model.nodes) {
    const feed = node.op === "input" ? model.info.lengthsOf.get(node.id) : undefined;
    if (feed !== undefined) lengths.set(node.id, feed);
  }
  const metadataProps = metadataEntries(model, states, lengths, options.metadata);
  const proto: ModelProto = {
    irVersion,
    opsetVersion: opset,
    producerName: "recurrent",
    producerVersion: "0.1.0",
    graph: {
      name: model.name,
      nodes: ctx.nodes,
      initializers: ctx.initializers,
      inputs: ctx.inputs,
      outputs: outputs.map((name) => ({ name, elemType: DataType.FLOAT, shape: [...ctx.shapeOf(name)] })),
    },
    metadataProps,
  };
  const stateFeed = new Map(stateInputs.map((s) => [s.name, s.feed] as const));
  const inputs = ctx.inputs.map((i): OnnxInput => {
    const feed = stateFeed.get(i.name);
    const kind = feed !== undefined ? "state" : i.elemType === DataType.INT32 ? "lengths" : "input";
    return { name: i.name, kind, feed: feed ?? i.name, shape: i.shape };
  });
  return { proto, opset, irVersion, inputs, outputs: outputShapes, states };
}

/**
 * Exports a model to ONNX bytes (a ModelProto; IR version per opset, ai.onnx opset 17 by default). Inputs: every
 * graph input (`[time, batch, D]` with dynamic time and batch), each lengths feed as int32 `[batch]`
 * (`sequence_lens` of every recurrent node on that time axis; feed all-T for unpadded batches), and the initial
 * state `<id>/h_0` / `<id>/c_0` `[directions, batch, units]` of every rnn whose state is not wired (plain inputs
 * with no initializer: feed zeros to start, the previous chunk's `<id>/h`, `<id>/c` to go on). Outputs: the
 * graph's outputs and every rnn's final states `<id>/h`, `<id>/c`. `metadata_props` describe the file (see
 * `METADATA_KEYS`).
 * @throws OnnxExportError see {@link exportOnnxModel}.
 */
export function exportOnnx(model: ValidModel, weights: Weights, options: ExportOptions = {}): Uint8Array {
  return exportOnnxModel(model, weights, options).bytes;
}

/** Initial-state slots of rnn nodes that are not wired to a value: they become graph inputs. */
function unwiredStates(nodes: readonly LayerNode[]): { name: string; feed: string; node: string }[] {
  const out: { name: string; feed: string; node: string }[] = [];
  for (const node of nodes) {
    if (node.op !== "rnn") continue;
    stateOutputs(node).forEach((feed, i) => {
      const wired = node.inputs[i + 1];
      if (wired !== undefined && wired !== "") return;
      out.push({ name: stateInputName(node.id, i === 0 ? "h" : "c"), feed, node: node.id });
    });
  }
  return out;
}

/** The graph's outputs, then every rnn state, then the extra outputs asked for; each once. */
function outputNames(model: ValidModel, extra: readonly string[]): string[] {
  for (const name of extra) {
    if (!model.info.shapes.has(name)) {
      throw new OnnxExportError(
        "BAD_OPTIONS",
        `extra output "${name}" is not a value of graph "${model.name}"; hint: name a node id or an rnn state <id>/h`,
      );
    }
  }
  const states = model.nodes.flatMap((n) => (n.op === "rnn" ? stateOutputs(n) : []));
  return [...new Set([...model.outputs, ...states, ...extra])];
}
