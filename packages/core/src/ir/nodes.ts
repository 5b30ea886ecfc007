/**
 * The IR: a model is a graph of nodes, a discriminated union keyed on `op`.
 *
 * Values are wired by name (ONNX style). Every node produces the value named by its `id`; an `rnn` node also
 * produces its final states `<id>/h` (and `<id>/c` for LSTM). Sequences are **time-major** `[time, batch, D]`;
 * vectors are `[batch, D]`; recurrent states are `[directions, batch, units]` (PyTorch's `h_n`, ONNX's `Y_h`).
 */
import { CELL_SPECS, type CellSpec } from "./cells.js";

/** A dimension: a number, or a symbol such as `"time"` or `"batch"` that stays open until run time. */
export type Dim = number | string;
/** A shape of dims, outermost first. */
export type Shape = readonly Dim[];

/** The symbolic batch dimension shared by every input of a graph. */
export const BATCH = "batch";
/** The default symbolic time dimension of a sequence input. */
export const TIME = "time";
/** The default name of the `Int32Array` feed that carries per-sample valid lengths of a sequence input. */
export const DEFAULT_LENGTHS = "lengths";

/** Elementwise activations. `softmax` normalises over the last axis. */
export type Activation = "linear" | "tanh" | "sigmoid" | "relu" | "softmax";
export const ACTIVATIONS: readonly Activation[] = ["linear", "tanh", "sigmoid", "relu", "softmax"];

/** Recurrent cells. Gate blocks follow PyTorch: LSTM `i,f,g,o`, GRU `r,z,n`. */
export type Cell = "simple" | "lstm" | "gru";
export const CELLS: readonly Cell[] = ["simple", "lstm", "gru"];

/** Direction of a recurrent layer. `reverse` outputs are time-aligned (ONNX / PyTorch semantics). */
export type Direction = "forward" | "reverse" | "bidirectional";
export const DIRECTIONS: readonly Direction[] = ["forward", "reverse", "bidirectional"];

/** How a bidirectional layer joins its two directions. `sum` is the default (the article's choice). */
export type Merge = "sum" | "concat" | "ave" | "mul";
export const MERGES: readonly Merge[] = ["sum", "concat", "ave", "mul"];

/**
 * Padding of a temporal convolution: `same` keeps T (stride 1) with the context centred, `causal` looks only
 * back, `valid` pads nothing (T' = T − field + 1 at stride 1). See `convPads` for the exact frame counts.
 */
export type ConvPadding = "same" | "causal" | "valid";
export const CONV_PADDINGS: readonly ConvPadding[] = ["same", "causal", "valid"];

/** How `pad` fills the new frames: `zero`, or `reflect` (ONNX / PyTorch: the edge frame is not repeated). */
export type PadMode = "zero" | "reflect";
export const PAD_MODES: readonly PadMode[] = ["zero", "reflect"];

/** Reduction over the valid steps of a sequence. */
export type PoolMode = "mean" | "max";
export const POOL_MODES: readonly PoolMode[] = ["mean", "max"];

interface Base<O extends string> {
  readonly op: O;
  /** Unique node id; also the name of the node's main output value. */
  readonly id: string;
  /** Names of the values this node reads, positional. `""` marks a skipped optional input (ONNX style). */
  readonly inputs: readonly string[];
}

/**
 * A graph input. A sequence input has shape `[time, batch, D]`, a vector input `[batch, D]`, a state input
 * `[directions, batch, units]` (to feed an `rnn` node's initial state).
 */
export interface InputNode extends Base<"input"> {
  readonly shape: Shape;
  /**
   * For sequence inputs: the name of the `Int32Array [B]` feed with per-sample lengths, which every run must then
   * feed. Absent: the input declares no lengths feed and every sample uses all T steps.
   */
  readonly lengths?: string;
}

/** Affine map on the last axis plus activation: weight `[units, in]`, bias `[units]`. Per frame on a sequence. */
export interface DenseNode extends Base<"dense"> {
  readonly units: number;
  readonly activation: Activation;
  readonly useBias: boolean;
}

/** An elementwise activation. */
export interface ActivationNode extends Base<"activation"> {
  readonly activation: Activation;
}

/** Inverted dropout during training; identity at inference. */
export interface DropoutNode extends Base<"dropout"> {
  readonly rate: number;
}

/**
 * The windowed feed-forward net's input: concatenates frames `t-left .. t+right` (oldest first) into
 * `[T, B, (left+right+1)·D]`. Frames outside `0..length-1` of a sample read as zeros.
 */
export interface FrameStackNode extends Base<"frameStack"> {
  readonly left: number;
  readonly right: number;
}

/**
 * Temporal convolution. Weight `[filters, in, kernelSize]` (PyTorch `Conv1d`), bias `[filters]`. Frames outside a
 * sample's valid range read as zeros. Output frame t reads input frames `t·stride − before + k·dilation`
 * (`before` from `convPads`), so at stride 1 with `same` or `causal` padding the output keeps T. A conv that
 * changes the time axis (stride > 1, or `valid` with a field over 1 frame) reads only inputs declared without a
 * lengths feed; its output steps are `outputSteps(node, T)`.
 */
export interface Conv1dNode extends Base<"conv1d"> {
  readonly filters: number;
  readonly kernelSize: number;
  readonly dilation: number;
  /** Step between output frames in input frames (a strided convolution such as an STFT); absent = 1. */
  readonly stride?: number;
  readonly padding: ConvPadding;
  readonly activation: Activation;
  readonly useBias: boolean;
}

/**
 * One recurrent layer. Inputs: `[x]`, `[x, h0]` or `[x, h0, c0]` (LSTM), states `[directions, batch, units]`.
 * Outputs: the node id (sequences `[T,B,H']` when `returnSequences`, else the final state `[B,H']`, where
 * `H' = 2·units` for a concat merge and `units` otherwise) plus `<id>/h` and, for LSTM, `<id>/c`.
 */
export interface RnnNode extends Base<"rnn"> {
  readonly cell: Cell;
  readonly units: number;
  readonly direction: Direction;
  /** Bidirectional only (validation rejects it elsewhere); default `sum`. Read it with {@link mergeOf}. */
  readonly merge?: Merge;
  /** Bidirectional only: both directions share one set of weights (no `_reverse` params). Default `false`. */
  readonly tiedDirections?: boolean;
  readonly returnSequences: boolean;
  /** Simple RNN only: its nonlinearity (PyTorch `nonlinearity`), `tanh` (default) or `relu`. */
  readonly activation?: "tanh" | "relu";
  /** GRU only: reset gate applied after the recurrent matmul (PyTorch; ONNX `linear_before_reset=1`). Default `true`. */
  readonly resetAfter?: boolean;
}

/** The merge of a bidirectional node (`sum` when unset). */
export function mergeOf(node: RnnNode): Merge {
  return node.merge ?? "sum";
}

/** Whether a bidirectional node shares weights between its directions. */
export function isTied(node: RnnNode): boolean {
  return node.direction === "bidirectional" && node.tiedDirections === true;
}

/** The nonlinearity of a simple RNN (`tanh` when unset). */
export function simpleActivationOf(node: RnnNode): "tanh" | "relu" {
  return node.activation ?? "tanh";
}

/** Whether a GRU applies its reset gate after the recurrent matmul (`true` when unset). */
export function isResetAfter(node: RnnNode): boolean {
  return node.resetAfter ?? true;
}

/** Feature size of an `rnn` node's main output: `2·units` for a bidirectional concat, else `units`. */
export function rnnOutputUnits(node: RnnNode): number {
  return node.direction === "bidirectional" && mergeOf(node) === "concat" ? 2 * node.units : node.units;
}

/** Many-to-one: the output at each sample's last valid step `length-1` → `[B, D]` (zeros for length 0). */
export interface LastStepNode extends Base<"lastStep"> {}

/** Many-to-one: mean or max over each sample's valid steps → `[B, D]` (zeros for length 0). */
export interface PoolNode extends Base<"pool"> {
  readonly mode: PoolMode;
}

/**
 * One-to-many: a vector `[B, D]` repeated over time → `[T, B, D]`. Inputs `[vector]` with a fixed `steps`, or
 * `[vector, like]` taking T and lengths from the sequence value `like`.
 */
export interface RepeatNode extends Base<"repeat"> {
  readonly steps?: number;
}

/** Concatenation on the last (feature) axis; leading dims must agree. */
export interface ConcatNode extends Base<"concat"> {}

/** Elementwise sum of two or more values of one shape. */
export interface AddNode extends Base<"add"> {}

/**
 * Pads the time axis of a sequence with `before` frames in front and `after` frames behind → `[T+before+after,
 * B, D]`. `reflect` mirrors around the edge frames without repeating them (x[−1] = x[1], x[T] = x[T−2]), so it
 * needs `before, after ≤ T − 1`. The input must be declared without a lengths feed when anything is added.
 */
export interface PadNode extends Base<"pad"> {
  readonly before: number;
  readonly after: number;
  readonly mode: PadMode;
}

/**
 * Magnitude of complex features stored as `[real parts | imaginary parts]`: D (even) → D/2 with
 * `y_k = √(x_k² + x_{k+D/2}²)`, per frame (an STFT's magnitude spectrum). Its gradient is taken as 0 where
 * `y_k = 0` (where PyTorch's is NaN).
 */
export interface MagnitudeNode extends Base<"magnitude"> {}

/** Every node of the IR. */
export type LayerNode =
  | InputNode
  | DenseNode
  | ActivationNode
  | DropoutNode
  | FrameStackNode
  | Conv1dNode
  | RnnNode
  | LastStepNode
  | PoolNode
  | RepeatNode
  | ConcatNode
  | AddNode
  | PadNode
  | MagnitudeNode;

/** The op names, one per node kind. */
export type Op = LayerNode["op"];
/** The node type of one op. */
export type NodeOf<K extends Op> = Extract<LayerNode, { op: K }>;

/** Every op, in a stable order (a mapped object so that a new op cannot be forgotten here). */
const OP_SET: { readonly [K in Op]: true } = {
  input: true,
  dense: true,
  activation: true,
  dropout: true,
  frameStack: true,
  conv1d: true,
  rnn: true,
  lastStep: true,
  pool: true,
  repeat: true,
  concat: true,
  add: true,
  pad: true,
  magnitude: true,
};
export const OPS: readonly Op[] = Object.keys(OP_SET) as Op[];

/** Is `op` one of the IR's ops? */
export function isOp(op: unknown): op is Op {
  return typeof op === "string" && Object.hasOwn(OP_SET, op);
}

/** A model: nodes in definition order plus the names of the values it returns. */
export interface Graph {
  /** Format version of the serialized graph; bumped on incompatible changes. */
  readonly format: typeof GRAPH_FORMAT;
  readonly name: string;
  readonly nodes: readonly LayerNode[];
  readonly outputs: readonly string[];
}

/** The graph JSON format version written into saved models. */
export const GRAPH_FORMAT = "recurrent.graph/1";

/** Number of directions (1 or 2) of a recurrent node. */
export function directionsOf(node: RnnNode): 1 | 2 {
  return node.direction === "bidirectional" ? 2 : 1;
}

/** Gate blocks per cell (see `CELL_SPECS`): simple 1, LSTM 4 (i,f,g,o), GRU 3 (r,z,n). */
export function gatesOf(cell: Cell): number {
  return specOf(cell).gates.length;
}

/** Names of the state values an `rnn` node produces, in its cell's state order: `<id>/h` and, for LSTM, `<id>/c`. */
export function stateOutputs(node: RnnNode): readonly string[] {
  return specOf(node.cell).states.map((s) => `${node.id}/${s}`);
}

/**
 * The cell's row, or the simple cell's for a name that is no cell: validation reports a bad cell as an issue
 * while still inferring the rest of the graph, so the helpers it calls must not throw on one.
 */
function specOf(cell: Cell): CellSpec {
  return Object.hasOwn(CELL_SPECS, cell) ? CELL_SPECS[cell] : CELL_SPECS.simple;
}

/** Every value name a node produces: its id, plus the state outputs of an `rnn`. */
export function outputsOf(node: LayerNode): readonly string[] {
  return node.op === "rnn" ? [node.id, ...stateOutputs(node)] : [node.id];
}
