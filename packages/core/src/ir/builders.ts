/**
 * Builders: the way users (and tests) write graphs. Each returns a plain node with defaults filled in; nothing
 * is checked here — `validate()` / `assertValid()` check every graph, whether built here or loaded from JSON.
 *
 * Every builder takes its input value names as trailing arguments. `sequential()` wires a node that has none to
 * the previous node; `graph()` takes nodes wired by hand (several inputs and outputs, encoder → decoder).
 */
import {
  type Activation,
  type ActivationNode,
  type AddNode,
  BATCH,
  type Cell,
  type ConcatNode,
  type Conv1dNode,
  type ConvPadding,
  DEFAULT_LENGTHS,
  type DenseNode,
  type Direction,
  type DropoutNode,
  type FrameStackNode,
  GRAPH_FORMAT,
  type Graph,
  type InputNode,
  type LastStepNode,
  type LayerNode,
  type MagnitudeNode,
  type Merge,
  type PadMode,
  type PadNode,
  type PoolMode,
  type PoolNode,
  type RepeatNode,
  type RnnNode,
  TIME,
} from "./nodes.js";

/** Options of a sequence input. */
export interface SequenceInputOptions {
  /**
   * Name of the lengths feed (`Int32Array [B]`); default `"lengths"`. Inputs sharing it share their time axis.
   * Every run must feed it. `false` declares no lengths feed: every sample then uses all T steps (the exported
   * ONNX has no `sequence_lens` input either).
   */
  readonly lengths?: string | false;
  /**
   * Symbol of the time axis; default `"time"`. Give inputs with different lengths different symbols. A number fixes
   * the steps (e.g. `576` samples per Silero VAD call), which lets validation compute the steps after strided
   * convolutions; a fixed 1 or 2 without lengths reads as a state input (`stateInput`), so fix at least 3.
   */
  readonly time?: string | number;
}

/**
 * A sequence input `[time, batch, features]`.
 * @example input("mfcc", 39)  // [time, batch, 39], lengths fed as "lengths" (required on every run)
 * @example input("x", 8, { lengths: false })  // [time, batch, 8], no lengths feed: every step of every sample
 */
export function input(id: string, features: number, options: SequenceInputOptions = {}): InputNode {
  const shape = [options.time ?? TIME, BATCH, features];
  // No `lengths` key at all (rather than `lengths: undefined`) keeps the node equal to its JSON round trip.
  if (options.lengths === false) return { op: "input", id, inputs: [], shape };
  return { op: "input", id, inputs: [], shape, lengths: options.lengths ?? DEFAULT_LENGTHS };
}

/** A non-sequence input `[batch, features]` (one-to-many models start from one). */
export function vectorInput(id: string, features: number): InputNode {
  return { op: "input", id, inputs: [], shape: [BATCH, features] };
}

/** A recurrent-state input `[directions, batch, units]`, to feed an `rnn` node's initial `h` or `c`. */
export function stateInput(id: string, units: number, directions: 1 | 2 = 1): InputNode {
  return { op: "input", id, inputs: [], shape: [directions, BATCH, units] };
}

/** Options of {@link dense}. */
export interface DenseOptions {
  readonly units: number;
  /** Default `"linear"`. */
  readonly activation?: Activation;
  /** Default `true`. */
  readonly useBias?: boolean;
}

/** Affine layer on the last axis (per frame on a sequence): `y = act(x·weightᵀ + bias)`, weight `[units, in]`. */
export function dense(id: string, options: DenseOptions, ...inputs: string[]): DenseNode {
  return {
    op: "dense",
    id,
    inputs,
    units: options.units,
    activation: options.activation ?? "linear",
    useBias: options.useBias ?? true,
  };
}

/** An elementwise activation. */
export function activation(id: string, fn: Activation, ...inputs: string[]): ActivationNode {
  return { op: "activation", id, inputs, activation: fn };
}

/** Dropout with drop probability `rate` in [0, 1) while training; identity at inference. */
export function dropout(id: string, rate: number, ...inputs: string[]): DropoutNode {
  return { op: "dropout", id, inputs, rate };
}

/** Options of {@link frameStack}. */
export interface FrameStackOptions {
  /** Frames of past context. */
  readonly left: number;
  /** Frames of future context; default = `left` (a symmetric window). */
  readonly right?: number;
}

/**
 * The windowed net's input: frames t−left..t+right side by side → `[T, B, (left+right+1)·D]`.
 * @example frameStack("window", { left: 20 })  // 41 frames × 39 = 1599 features
 */
export function frameStack(id: string, options: FrameStackOptions, ...inputs: string[]): FrameStackNode {
  return { op: "frameStack", id, inputs, left: options.left, right: options.right ?? options.left };
}

/** Options of {@link conv1d}. */
export interface Conv1dOptions {
  readonly filters: number;
  readonly kernelSize: number;
  /** Default 1. */
  readonly dilation?: number;
  /**
   * Step between output frames, default 1. Over 1 the conv changes the time axis (so does `"valid"` padding): its
   * input must be declared without lengths, e.g. audio samples as time: `input("audio", 1, { lengths: false })`.
   */
  readonly stride?: number;
  /** Default `"same"`. */
  readonly padding?: ConvPadding;
  /** Default `"linear"`. */
  readonly activation?: Activation;
  /** Default `true`. */
  readonly useBias?: boolean;
}

/**
 * Temporal convolution over `[T, B, D]` → `[T', B, filters]` (T' = T at stride 1 with same/causal padding; see
 * `outputSteps`), weight `[filters, D, kernelSize]`.
 * @example conv1d("stft", { filters: 258, kernelSize: 256, stride: 128, padding: "valid", useBias: false })
 */
export function conv1d(id: string, options: Conv1dOptions, ...inputs: string[]): Conv1dNode {
  return {
    op: "conv1d",
    id,
    inputs,
    filters: options.filters,
    kernelSize: options.kernelSize,
    dilation: options.dilation ?? 1,
    // Written only when given, so graphs saved before strides existed read back unchanged.
    ...(options.stride === undefined ? {} : { stride: options.stride }),
    padding: options.padding ?? "same",
    activation: options.activation ?? "linear",
    useBias: options.useBias ?? true,
  };
}

/** Options of {@link pad}. */
export interface PadOptions {
  /** Frames added in front, default 0. */
  readonly before?: number;
  /** Frames added behind, default 0. */
  readonly after?: number;
  /** Default `"zero"`. */
  readonly mode?: PadMode;
}

/**
 * Pads the time axis: `[T, B, D]` → `[T + before + after, B, D]`. The input must be declared without lengths.
 * @example pad("reflect64", { after: 64, mode: "reflect" }) // Silero VAD's front end
 */
export function pad(id: string, options: PadOptions, ...inputs: string[]): PadNode {
  return {
    op: "pad",
    id,
    inputs,
    before: options.before ?? 0,
    after: options.after ?? 0,
    mode: options.mode ?? "zero",
  };
}

/**
 * Magnitude of `[real | imaginary]` features: `[..., D]` → `[..., D/2]`, `y_k = √(x_k² + x_{k+D/2}²)`.
 * @example magnitude("spectrum", "stft") // 258 STFT outputs → 129 bins
 */
export function magnitude(id: string, ...inputs: string[]): MagnitudeNode {
  return { op: "magnitude", id, inputs };
}

/** Options of {@link rnn}. */
export interface RnnOptions {
  readonly cell: Cell;
  readonly units: number;
  /** Default `"forward"`. */
  readonly direction?: Direction;
  /** Default `"sum"`; only for a bidirectional layer. */
  readonly merge?: Merge;
  /** Default `false`; only for a bidirectional layer. */
  readonly tiedDirections?: boolean;
  /** Default `true` (many-to-many). `false` returns the merged final state `[B, H']` (many-to-one). */
  readonly returnSequences?: boolean;
  /** Simple RNN nonlinearity; default `"tanh"`. */
  readonly activation?: "tanh" | "relu";
  /** GRU: default `true` (PyTorch's GRU). */
  readonly resetAfter?: boolean;
}

/**
 * One recurrent layer. Inputs: `x`, then optionally the initial `h` and (LSTM) `c`, each `[directions, B, units]`.
 * @example rnn("blstm", { cell: "lstm", units: 128, direction: "bidirectional" })  // merge "sum"
 */
export function rnn(id: string, options: RnnOptions, ...inputs: string[]): RnnNode {
  const direction = options.direction ?? "forward";
  const bidirectional = direction === "bidirectional";
  // Options that do not apply to this cell/direction are only copied when given, so validation can reject them.
  return {
    op: "rnn",
    id,
    inputs,
    cell: options.cell,
    units: options.units,
    direction,
    returnSequences: options.returnSequences ?? true,
    ...(bidirectional || options.merge !== undefined ? { merge: options.merge ?? "sum" } : {}),
    ...(bidirectional || options.tiedDirections !== undefined
      ? { tiedDirections: options.tiedDirections ?? false }
      : {}),
    ...(options.cell === "simple" || options.activation !== undefined
      ? { activation: options.activation ?? "tanh" }
      : {}),
    ...(options.cell === "gru" || options.resetAfter !== undefined ? { resetAfter: options.resetAfter ?? true } : {}),
  };
}

/** Shorthands for {@link rnn} with the cell filled in. */
export const simpleRnn = (id: string, options: Omit<RnnOptions, "cell">, ...inputs: string[]): RnnNode =>
  rnn(id, { ...options, cell: "simple" }, ...inputs);
export const lstm = (id: string, options: Omit<RnnOptions, "cell">, ...inputs: string[]): RnnNode =>
  rnn(id, { ...options, cell: "lstm" }, ...inputs);
export const gru = (id: string, options: Omit<RnnOptions, "cell">, ...inputs: string[]): RnnNode =>
  rnn(id, { ...options, cell: "gru" }, ...inputs);

/** Many-to-one: each sample's output at its last valid step → `[B, D]`. */
export function lastStep(id: string, ...inputs: string[]): LastStepNode {
  return { op: "lastStep", id, inputs };
}

/** Many-to-one: mean or max over each sample's valid steps → `[B, D]`. */
export function pool(id: string, mode: PoolMode, ...inputs: string[]): PoolNode {
  return { op: "pool", id, inputs, mode };
}

/**
 * One-to-many: repeat a vector `[B, D]` over time. Give `steps` for a fixed T, or a second input (a sequence
 * value) whose T and lengths the output takes.
 */
export function repeat(id: string, options: { readonly steps?: number }, ...inputs: string[]): RepeatNode {
  return options.steps === undefined
    ? { op: "repeat", id, inputs }
    : { op: "repeat", id, inputs, steps: options.steps };
}

/** Concatenate on the last axis. */
export function concat(id: string, ...inputs: string[]): ConcatNode {
  return { op: "concat", id, inputs };
}

/** Elementwise sum of two or more values of one shape. */
export function add(id: string, ...inputs: string[]): AddNode {
  return { op: "add", id, inputs };
}

/**
 * A chain of layers: the first must be an `input`; each later node without explicit inputs reads the previous
 * node's main output. The graph returns the last node's output.
 * @example sequential("phones", [input("mfcc", 39), lstm("lstm", { units: 128 }), dense("out", { units: 40 })])
 */
export function sequential(name: string, layers: readonly LayerNode[]): Graph {
  const nodes: LayerNode[] = [];
  let previous: string | undefined;
  for (const layer of layers) {
    const wired = layer.op !== "input" && layer.inputs.length === 0 && previous !== undefined;
    nodes.push(wired ? { ...layer, inputs: [previous as string] } : layer);
    previous = layer.id;
  }
  return { format: GRAPH_FORMAT, name, nodes, outputs: previous === undefined ? [] : [previous] };
}

/**
 * A graph wired by hand: nodes in definition order (each input defined before use), and the values it returns.
 * @example
 * graph("seq2seq", [
 *   input("src", 39, { lengths: "srcLengths", time: "srcTime" }),
 *   lstm("enc", { units: 64, returnSequences: false }, "src"),
 *   input("tgt", 39, { lengths: "tgtLengths", time: "tgtTime" }),
 *   lstm("dec", { units: 64 }, "tgt", "enc/h", "enc/c"),
 *   dense("out", { units: 39 }, "dec"),
 * ], ["out"])
 */
export function graph(name: string, nodes: readonly LayerNode[], outputs: readonly string[]): Graph {
  return { format: GRAPH_FORMAT, name, nodes: [...nodes], outputs: [...outputs] };
}
