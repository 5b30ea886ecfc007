/**
 * `importOnnx`: an ONNX file → a Recurrent model and its weights. The graph is walked once in node order with a
 * value table: each ONNX value is a folded constant (shape glue), a zero tensor (initial states), a lengths feed,
 * an IR value, a MatMul waiting for its bias, or a recurrent node's raw output waiting for its direction merge.
 * Only nodes with a faithful IR form are accepted; anything else is an {@link OnnxImportError} naming the node.
 */
import {
  type Activation,
  activation,
  add,
  assertValid,
  BATCH,
  CELL_SPECS,
  concat,
  type Dim,
  dense,
  type LayerNode,
  magnitude,
  pool,
  repeat,
  rnn,
  type StateName,
  type Tensor,
  TIME,
  type ValidModel,
  type Weights,
} from "@recurrent/core";
import { MAX_OPSET } from "../export/options.js";
import { stateInputName } from "../export/rnn.js";
import { convFromOnnx, padFromOnnx, stepsAfter } from "./conv.js";
import { type DecodedGraph, type DecodedNode, type DecodedTensor, decodeModel } from "./decode.js";
import { OnnxImportError } from "./errors.js";
import * as F from "./fold.js";
import type { Binding, BindingPart, fromImportedResults, ImportedIo, toImportedFeeds } from "./io.js";
import { sliceIr, square, stack, sumOfSquares } from "./ir-values.js";
import { squeezeView, transposeView, unsqueezeView, viewDims } from "./layout.js";
import { CELL_OF_OP, type PendingRnn, readRecurrentAttributes, unpackWeights } from "./rnn.js";
import {
  addBias,
  axesOf,
  BINARY,
  type Dims,
  DynamicError,
  describe,
  fromTensor,
  type IrValue,
  isZeros,
  type Value,
  viewOf,
} from "./values.js";

/** The lowest opset imported: Squeeze / Unsqueeze / ReduceSum take their axes as inputs from 13 on. */
export const MIN_IMPORT_OPSET = 13;
/** The highest opset imported (the exporter's highest). */
export const MAX_IMPORT_OPSET = MAX_OPSET;

/** Options of {@link importOnnx}: sizes and values the file leaves open but its shape glue needs at import. */
export interface ImportOptions {
  /**
   * Sizes of named input dims (ONNX `dim_param`), e.g. `{ sequence: 576 }` for Silero's samples per call: the
   * input's time steps become that number, so glue that reads a length (an `If` on a conv output's steps) folds.
   * The batch dim stays symbolic.
   */
  readonly dims?: Readonly<Record<string, number>>;
  /**
   * Values of graph inputs to fold at import, e.g. `{ sr: 16000 }`: such an input is no feed of the IR model
   * (`toImportedFeeds` checks a feed of it against this value).
   */
  readonly constants?: Readonly<Record<string, number | readonly number[]>>;
}

/** What {@link importOnnx} returns. */
export interface ImportedOnnx {
  readonly model: ValidModel;
  readonly weights: Weights;
  /**
   * ONNX graph output name → the IR value (a node id, or an rnn's final state `<id>/h`, `<id>/c`). An output the
   * IR computes as several values (Silero's `stateN` = h and c stacked) is only in `io`.
   */
  readonly outputs: Readonly<Record<string, string>>;
  /**
   * How the file's own feeds and outputs map onto the IR model's (layouts, stacked states, folded inputs); move
   * data with `toImportedFeeds(imported.io, feeds)` and `fromImportedResults(imported.io, results)`.
   */
  readonly io: ImportedIo;
}

const ACTIVATIONS: Readonly<Record<string, Activation>> = {
  Relu: "relu",
  Tanh: "tanh",
  Sigmoid: "sigmoid",
  Softmax: "softmax",
};
const MERGES = { ReduceSum: "sum", ReduceMean: "ave", ReduceProd: "mul" } as const;
/** Ops an audio input `[batch, samples]` may pass through before a Conv reads it (see `feedsConv`). */
const TO_CONV = new Set(["Pad", "Unsqueeze", "Identity", "Cast", "Reshape"]);

/**
 * Imports an ONNX model of recurrent layers: RNN / LSTM / GRU (any direction, `sequence_lens`, initial states as
 * graph inputs or zeros, `layout` 0), MatMul + Add and Gemm (→ `dense`), Relu / Tanh / Sigmoid / Softmax, Sum,
 * Concat on features, the convolutional audio front ends around them (1-D Conv → `conv1d` with stride and
 * same / causal / valid padding, Pad on time → `pad`, Silero's Slice + Pow + Add + Sqrt → `magnitude`, ReduceMean
 * over time → `pool` mean), and the glue around them (Squeeze, Unsqueeze and Transpose as layouts of one IR value;
 * Transpose + Reshape and ReduceSum/Mean/Prod over the direction axis; Shape, Size, Gather, Concat, Slice,
 * ConstantOfShape, Constant, Cast, Identity, Expand, arithmetic and comparisons folded when static; `If` whose
 * condition folds is inlined).
 *
 * Float rank-3 graph inputs become sequence inputs `[time, batch, D]` (rank 2: vectors `[batch, D]`, or audio
 * `[samples, batch, 1]` when a Conv reads them); a rank-3 input split by Gather on axis 0 becomes one state input
 * `<name>[k]` per index; an int input used as `sequence_lens` becomes that input's lengths feed under its ONNX name.
 * @param bytes a serialized ModelProto (weights inside the file).
 * @param options `dims` fixes named input dims (Silero: `{ sequence: 576 }`), `constants` folds graph inputs
 *   (Silero: `{ sr: 16000 }`).
 * @returns the validated model, its weights (PyTorch names and layouts), the ONNX → IR output names and `io`, the
 *   bindings {@link toImportedFeeds} and {@link fromImportedResults} use to map the file's own tensors.
 * @throws OnnxImportError NOT_ONNX (not a model), OPSET (outside {@link MIN_IMPORT_OPSET}..{@link MAX_IMPORT_OPSET}),
 *   UNSUPPORTED_NODE (message names the node, its op and why), DYNAMIC (an `If` condition or shape that needs
 *   runtime values; the message names the `dims` or `constants` option that would fold it), BAD_GRAPH (an output
 *   or input the IR cannot express, an option naming no input or dim).
 */
export function importOnnx(bytes: Uint8Array, options: ImportOptions = {}): ImportedOnnx {
  let decoded: ReturnType<typeof decodeModel>;
  try {
    decoded = decodeModel(bytes);
  } catch (err) {
    throw new OnnxImportError("NOT_ONNX", (err as Error).message);
  }
  const { opset, graph } = decoded;
  if (opset === undefined || opset < MIN_IMPORT_OPSET || opset > MAX_IMPORT_OPSET) {
    throw new OnnxImportError(
      "OPSET",
      `the model imports opset ${opset ?? "(none)"} of the default domain; importOnnx reads opsets ${MIN_IMPORT_OPSET} to ${MAX_IMPORT_OPSET}`,
    );
  }
  return new Importer(graph, options).run();
}

class Importer {
  readonly values = new Map<string, Value>();
  readonly nodes: LayerNode[] = [];
  readonly weights: Record<string, Tensor> = {};
  /** Sequence input name → its lengths feed (set when an rnn reads that input's lengths). */
  readonly lengthsOf = new Map<string, string>();
  readonly inputShapes = new Map<string, Dims>();
  readonly stateInputs = new Set<string>();
  readonly pending: PendingRnn[] = [];
  /** ONNX graph input → the IR inputs it was split into on axis 0 (Silero's `state` → `state[0]`, `state[1]`). */
  readonly split = new Map<string, Map<number, IrValue>>();
  /** ONNX graph input → its IR value as declared (axes and view, for the feed bindings). */
  readonly declared = new Map<string, IrValue>();
  readonly constants: Record<string, readonly number[]> = {};
  /** Value name → the nodes reading it, in every graph (If branches included). */
  readonly consumers = new Map<string, DecodedNode[]>();

  constructor(
    readonly graph: DecodedGraph,
    readonly options: ImportOptions,
  ) {
    const index = (g: DecodedGraph): void => {
      for (const n of g.nodes) {
        for (const i of n.inputs) this.consumers.set(i, [...(this.consumers.get(i) ?? []), n]);
        for (const a of n.attrs.values()) if (typeof a === "object" && a !== null && "nodes" in a) index(a);
      }
    };
    index(graph);
  }

  run(): ImportedOnnx {
    const g = this.graph;
    for (const t of g.initializers) this.values.set(t.name, fromTensor(t));
    this.checkOptions();
    for (const inp of g.inputs) {
      if (this.values.has(inp.name)) continue; // an initializer with a default value: a weight
      this.declareInput(inp);
    }
    this.walk(g.nodes);

    const outputs: Record<string, string> = {};
    const irOutputs: string[] = [];
    const outBindings: Binding[] = [];
    const bind = (onnx: string, parts: readonly IrValue[], stacked: boolean): void => {
      outBindings.push({ kind: "tensor", onnx, stacked, parts: parts.map(part) });
      for (const p of parts) if (!irOutputs.includes(p.name)) irOutputs.push(p.name);
    };
    for (const o of g.outputs) {
      const v = this.values.get(o.name);
      if (v?.kind === "rnnOut" && v.slot > 0 && v.rnn.emitted !== undefined) {
        const state = `${v.rnn.emitted}/${v.slot === 1 ? "h" : "c"}`;
        outputs[o.name] = state;
        bind(o.name, [{ kind: "ir", name: state, dims: [1, BATCH, v.rnn.units], root: undefined, axes: "DBF" }], false);
        continue;
      }
      if (v?.kind === "stack") {
        bind(o.name, v.parts, true);
        continue;
      }
      let ir = v === undefined ? undefined : this.irOf(v, o.name, `graph output "${o.name}"`);
      if (ir !== undefined && ir.name !== o.name && !irOutputs.includes(o.name)) {
        this.nodes.push(activation(o.name, "linear", ir.name));
        ir = { ...ir, name: o.name };
      }
      if (ir === undefined) throw new OnnxImportError("BAD_GRAPH", `graph output "${o.name}" is not computed`);
      outputs[o.name] = ir.name;
      bind(o.name, [ir], false);
    }
    for (const p of this.pending) {
      if (p.emitted === undefined) {
        throw new OnnxImportError(
          "UNSUPPORTED_NODE",
          `node ${p.label} (${p.node.opType}): its output is never merged into a [time, batch, features] sequence or [batch, features] vector (Squeeze, Transpose + Reshape, or ReduceSum/Mean/Prod over the direction axis)`,
          p.label,
          p.node.opType,
        );
      }
    }
    // An int [batch] input that no recurrent node reads (a model of dense layers exported with its lengths feed)
    // goes with the sequence inputs that have none, when it is the only such input.
    const spare = g.inputs.filter(
      (i) => this.values.get(i.name)?.kind === "lengths" && ![...this.lengthsOf.values()].includes(i.name),
    );
    if (spare.length === 1) {
      for (const [name, shape] of this.inputShapes) {
        if (shape.length === 3 && !this.stateInputs.has(name) && !this.lengthsOf.has(name)) {
          this.lengthsOf.set(name, (spare[0] as { name: string }).name);
        }
      }
    }
    const inputs: LayerNode[] = [];
    for (const [name, shape] of this.inputShapes) {
      if (this.stateInputs.has(name)) {
        inputs.push({ op: "input", id: name, inputs: [], shape: [shape[0] as number, BATCH, shape[2] as number] });
        continue;
      }
      const lengths = this.lengthsOf.get(name);
      // A fixed 1 or 2 steps would read as a state input: such a sequence keeps a symbolic time.
      const irShape =
        shape.length === 3 && typeof shape[0] === "number" && shape[0] < 3 ? [TIME, ...shape.slice(1)] : shape;
      inputs.push({ op: "input", id: name, inputs: [], shape: irShape, ...(lengths === undefined ? {} : { lengths }) });
    }
    const graphJson = {
      format: "recurrent.graph/1" as const,
      name: this.graph.name || "imported",
      nodes: [...inputs, ...this.nodes],
      outputs: irOutputs,
    };
    const io: ImportedIo = { inputs: this.inputBindings(), outputs: outBindings, constants: this.constants };
    return { model: assertValid(graphJson, this.weights), weights: this.weights, outputs, io };
  }

  /** Rejects option keys that name nothing in the file (a typo would otherwise be ignored). */
  checkOptions(): void {
    const g = this.graph;
    const params = new Set(g.inputs.flatMap((i) => (i.dims ?? []).filter((d): d is string => typeof d === "string")));
    for (const key of Object.keys(this.options.dims ?? {})) {
      if (!params.has(key)) {
        throw new OnnxImportError(
          "BAD_GRAPH",
          `dims.${key}: no graph input has a dim named "${key}" (named dims: ${[...params].join(", ") || "none"})`,
        );
      }
    }
    const names = g.inputs.map((i) => i.name);
    for (const key of Object.keys(this.options.constants ?? {})) {
      if (!names.includes(key)) {
        throw new OnnxImportError(
          "BAD_GRAPH",
          `constants.${key}: the file has no graph input "${key}" (its inputs: ${names.join(", ")})`,
        );
      }
    }
  }

  /** A graph input → a folded constant, a lengths feed, a runtime scalar, or an IR input value. */
  declareInput(inp: DecodedGraph["inputs"][number]): void {
    const { name, elemType } = inp;
    const constant = this.options.constants?.[name];
    if (constant !== undefined) {
      const data = typeof constant === "number" ? [constant] : [...constant];
      const dims = (inp.dims ?? []).map((d) => (typeof d === "number" ? d : undefined));
      if (dims.some((d) => d === undefined) || F.sizeOf(dims as number[]) !== data.length) {
        throw new OnnxImportError(
          "BAD_GRAPH",
          `constants.${name} has ${data.length} values but graph input "${name}" is shaped [${(inp.dims ?? []).join(", ")}]`,
        );
      }
      this.constants[name] = data;
      this.values.set(name, F.folded(elemType, dims as number[], elemType === 1 ? Float32Array.from(data) : data));
      return;
    }
    const dims = inp.dims;
    if (dims === undefined) throw new OnnxImportError("BAD_GRAPH", `graph input "${name}" has no shape`);
    if (dims.length === 0) {
      this.values.set(name, {
        kind: "dynamic",
        why: `graph input "${name}" is a scalar known only at run time; fold it with importOnnx(bytes, { constants: { ${name}: <value> } })`,
      });
      return;
    }
    if (elemType === 6 || elemType === 7) {
      if (dims.length !== 1) {
        throw new OnnxImportError("BAD_GRAPH", `int graph input "${name}" is not a lengths vector [batch]`);
      }
      this.values.set(name, { kind: "lengths", feed: name });
      return;
    }
    if (elemType !== 1 || (dims.length !== 3 && dims.length !== 2)) {
      throw new OnnxImportError(
        "BAD_GRAPH",
        `graph input "${name}" (type ${elemType}, rank ${dims.length}) is neither float [time, batch, D] nor [batch, D]`,
      );
    }
    const size = (d: number | string | undefined): Dim =>
      d === undefined ? TIME : typeof d === "string" ? (this.options.dims?.[d] ?? d) : d;
    let v: IrValue;
    if (dims.length === 2 && this.feedsConv(name)) {
      // Audio [batch, samples] read by a Conv after Unsqueeze(1): samples are the IR's time axis, one feature.
      v = { kind: "ir", name, dims: [size(dims[1]), BATCH, 1], root: name, axes: "TBF", view: "BT" };
    } else {
      const last = dims.at(-1);
      if (typeof last !== "number") {
        throw new OnnxImportError("BAD_GRAPH", `graph input "${name}" has no fixed feature size (last dim)`);
      }
      v = { kind: "ir", name, dims: dims.length === 3 ? [size(dims[0]), BATCH, last] : [BATCH, last], root: name };
    }
    this.inputShapes.set(name, v.dims);
    this.declared.set(name, v);
    this.values.set(name, v);
  }

  /** Whether a float `[batch, samples]` input reaches a Conv through Pad / Unsqueeze / Identity / Cast / Reshape. */
  feedsConv(name: string): boolean {
    const seen = new Set<string>();
    const reaches = (value: string, depth: number): boolean =>
      depth < 6 &&
      (this.consumers.get(value) ?? []).some((n) => {
        if (n.inputs[0] !== value || seen.has(n.outputs[0] as string)) return false;
        seen.add(n.outputs[0] as string);
        if (n.opType === "Conv") return true;
        return TO_CONV.has(n.opType) && reaches(n.outputs[0] as string, depth + 1);
      });
    return reaches(name, 0);
  }

  /** The feed bindings of the ONNX graph inputs that reach the IR model. */
  inputBindings(): Binding[] {
    const out: Binding[] = [];
    const lengthsFeeds = new Set(this.lengthsOf.values());
    for (const inp of this.graph.inputs) {
      const v = this.values.get(inp.name);
      if (v?.kind === "lengths" && lengthsFeeds.has(inp.name)) {
        out.push({ kind: "lengths", onnx: inp.name, ir: inp.name });
        continue;
      }
      const parts = this.split.get(inp.name);
      if (parts !== undefined) {
        const used = [...parts].filter(([, p]) => this.inputShapes.has(p.name)).sort(([a], [b]) => a - b);
        const bound = used.map(([index, p]) => ({ ...part(p), index }));
        if (bound.length > 0) out.push({ kind: "tensor", onnx: inp.name, stacked: true, parts: bound });
        continue;
      }
      const declared = this.declared.get(inp.name);
      if (declared !== undefined && this.inputShapes.has(inp.name)) {
        const bound = this.stateInputs.has(inp.name) ? { ir: inp.name, axes: "DBF", view: "DBF" } : part(declared);
        out.push({ kind: "tensor", onnx: inp.name, stacked: false, parts: [bound] });
      }
    }
    return out;
  }

  walk(nodes: readonly DecodedNode[]): void {
    nodes.forEach((node, i) => {
      const label = node.name === "" ? `#${i}` : `"${node.name}"`;
      try {
        this.visit(node, label);
      } catch (err) {
        if (err instanceof OnnxImportError) throw err;
        if (err instanceof F.DynamicFold) {
          // Not an error until a node needs the value at import (an If condition, a shape, a weight).
          for (const o of node.outputs)
            this.set(o, { kind: "dynamic", why: `${err.message} (node ${label}, ${node.opType})` });
          return;
        }
        const code = err instanceof DynamicError ? "DYNAMIC" : "UNSUPPORTED_NODE";
        throw new OnnxImportError(
          code,
          `node ${label} (${node.opType}): ${(err as Error).message}`,
          label,
          node.opType,
        );
      }
    });
  }

  get(name: string | undefined): Value | undefined {
    if (name === undefined || name === "") return undefined;
    const v = this.values.get(name);
    if (v === undefined) throw new Error(`input "${name}" is not defined before this node`);
    return v;
  }

  /** A value the node needs known at import time. */
  constant(name: string | undefined, what: string): F.Folded {
    const v = this.get(name);
    if (v?.kind === "const") return v;
    if (v === undefined) throw new Error(`${what} is missing`);
    if (v.kind === "dynamic") {
      throw new DynamicError(`${what} ("${name}") cannot be folded at import: ${v.why}${this.dimsHint(v.why)}`);
    }
    throw new Error(`${what} ("${name}") is ${describe(v)}; this op is imported only on values known at import`);
  }

  /** For a value that depends on a runtime size other than the batch: how to fix the input sizes it comes from. */
  dimsHint(why: string): string {
    const size = /runtime size "([^"]+)"/.exec(why)?.[1];
    if (size === undefined || size === BATCH) return "";
    const named = this.graph.inputs.flatMap((i) =>
      (i.dims ?? []).filter(
        (d): d is string => typeof d === "string" && d !== BATCH && this.options.dims?.[d] === undefined,
      ),
    );
    const unique = [...new Set(named)];
    if (unique.length === 0) return "";
    return `; fix the input's size with importOnnx(bytes, { dims: { ${unique.map((d) => `${d}: <size>`).join(", ")} } })`;
  }

  /** An IR value, materializing a waiting MatMul as a dense layer named `name`. */
  irOf(v: Value, name: string, what: string): IrValue {
    if (v.kind === "ir") return v;
    if (v.kind === "matmul") {
      const units = v.w.shape[0] as number;
      this.nodes.push(dense(name, { units, useBias: v.bias !== undefined }, v.x.name));
      this.weights[`${name}/weight`] = v.w;
      if (v.bias !== undefined) this.weights[`${name}/bias`] = { shape: [units], data: v.bias };
      const ir: IrValue = { ...v.x, name, dims: [...v.x.dims.slice(0, -1), units] };
      this.values.set(name, ir);
      return ir;
    }
    throw new Error(`${what} is ${describe(v)}, not a [time, batch, features] or [batch, features] value`);
  }

  set(name: string | undefined, v: Value): undefined {
    if (name !== undefined && name !== "") this.values.set(name, v);
  }

  visit(node: DecodedNode, label: string): undefined {
    const { opType: op, inputs: ins, outputs: outs, attrs } = node;
    const out = outs[0] as string;
    if (node.domain !== "" && node.domain !== "ai.onnx") throw new Error(`domain "${node.domain}" is not imported`);
    const int = (key: string, fallback: number): number => (attrs.get(key) as number | undefined) ?? fallback;
    const args = ins.map((n) => this.get(n));
    const allFolded = args.every((a) => a === undefined || a.kind === "const");

    if (Object.hasOwn(CELL_OF_OP, op)) return this.recurrent(node, label);
    switch (op) {
      case "Constant": {
        const t = attrs.get("value");
        if (t === undefined || typeof t !== "object" || !("dtype" in t)) {
          throw new Error("only Constant with a tensor `value` is imported");
        }
        return this.set(out, fromTensor(t));
      }
      case "Identity":
      case "Dropout":
        return this.set(out, args[0] as Value);
      case "Cast": {
        const x = args[0] as Value;
        if (x.kind === "const") return this.set(out, F.cast(x, int("to", 1)));
        if (x.kind === "lengths" || x.kind === "zeros" || x.kind === "dynamic") return this.set(out, x);
        if (int("to", 1) !== 1) throw new Error(`a cast of ${describe(x)} to type ${int("to", 1)} has no IR form`);
        return this.set(out, x); // float to float
      }
      case "Shape": {
        const dims = this.onnxDims(args[0] as Value);
        const start = int("start", 0);
        const end = (attrs.get("end") as number | undefined) ?? dims.length;
        const norm = (v: number): number => Math.min(Math.max(v < 0 ? v + dims.length : v, 0), dims.length);
        const s = dims.slice(norm(start), norm(end));
        return this.set(out, F.folded(7, [s.length], s));
      }
      case "ConstantOfShape": {
        const shape = this.constant(ins[0], "the shape");
        const v = attrs.get("value") as DecodedTensor | undefined;
        const fill = v === undefined ? 0 : (v.data[0] as number);
        if (shape.data.every((d) => typeof d === "number")) {
          const dims = shape.data as number[];
          const n = F.sizeOf(dims);
          const dtype = v?.dtype ?? 1;
          return this.set(
            out,
            F.folded(dtype, dims, dtype === 1 ? new Float32Array(n).fill(fill) : Array(n).fill(fill)),
          );
        }
        if (fill === 0) return this.set(out, { kind: "zeros" });
        throw new DynamicError("a non-zero fill of a runtime shape has no IR form");
      }
      case "Expand": {
        const x = args[0] as Value;
        if (isZeros(x)) return this.set(out, { kind: "zeros" });
        if (x.kind === "const") {
          const shape = this.constant(ins[1], "the shape");
          const zero = F.folded(
            shape.dtype,
            F.numbers(shape, "Expand's shape"),
            new Array(F.sizeOf(F.numbers(shape, "Expand's shape"))).fill(0),
          );
          return this.set(
            out,
            F.binary(x, zero, (a) => a),
          );
        }
        throw new Error(`expanding ${describe(x)} has no IR form`);
      }
      case "Size": {
        const dims = this.onnxDims(args[0] as Value);
        const sizes = dims.map((d) => {
          if (typeof d !== "number") throw new F.DynamicFold(`the size depends on the runtime size "${d}"`);
          return d;
        });
        return this.set(out, F.folded(7, [], [F.sizeOf(sizes)]));
      }
      case "If":
        return this.inlineIf(node);
      case "Conv":
        return this.conv(node);
      case "Pad":
        return this.pad(node);
      case "Pow": {
        const [a, b] = args as [Value, Value];
        if (allFolded)
          return this.set(
            out,
            F.binary(a as F.Folded, b as F.Folded, (x, y) => x ** y),
          );
        const e = this.constant(ins[1], "the exponent");
        if (F.numbers(e, "the exponent").some((v) => v !== 2))
          throw new Error("only Pow(x, 2) of a runtime value is imported");
        return this.set(out, square(a));
      }
      case "Sqrt": {
        const x = args[0] as Value;
        if (x.kind === "const")
          return this.set(out, F.folded(1, x.dims, Float32Array.from(F.numbers(x, "Sqrt's input"), Math.sqrt)));
        if (x.kind !== "sumSquares") {
          throw new Error(
            `Sqrt of ${describe(x)} has no IR form (only √(re² + im²) over the two halves of the features: magnitude)`,
          );
        }
        this.nodes.push(magnitude(out, x.x.name));
        const dims = [...x.x.dims];
        dims[axesOf(x.x).indexOf("F")] = (dims.at(axesOf(x.x).indexOf("F")) as number) / 2;
        return this.set(out, { ...x.x, name: out, dims });
      }
      case "MatMul":
      case "Gemm":
        return this.matmul(node);
      case "Add": {
        const [a, b] = args as [Value, Value];
        if (a.kind === "part" || b.kind === "part") return this.set(out, sumOfSquares(a, b));
        for (const [s, z] of [
          [a, b],
          [b, a],
        ] as const) {
          if (z.kind === "dynamic") throw new DynamicError(`an operand cannot be folded at import: ${z.why}`);
          if (s.kind === "stack" && isZeros(z)) return this.set(out, s); // Silero's stateN + sr·0
        }
        if (allFolded)
          return this.set(
            out,
            F.binary(a as F.Folded, b as F.Folded, (x, y) => x + y),
          );
        const mm = a.kind === "matmul" ? a : b.kind === "matmul" ? b : undefined;
        const c = a.kind === "const" ? a : b.kind === "const" ? b : undefined;
        if (mm !== undefined && c !== undefined) return this.set(out, { ...mm, bias: addBias(mm, c) });
        return this.sum(out, args as Value[], label);
      }
      case "Sum":
        return this.sum(out, args as Value[], label);
      case "Sub":
      case "Mul":
      case "Div":
      case "Equal":
      case "Less":
      case "Greater":
      case "And":
      case "Or": {
        const unknown = args.find((a) => a?.kind === "dynamic");
        if (unknown?.kind === "dynamic") throw new F.DynamicFold(unknown.why);
        if (op === "Mul" && ins[0] === ins[1] && args[0]?.kind === "part") return this.set(out, square(args[0]));
        if (!allFolded) throw new Error(`${op} of runtime values has no IR form`);
        const f = BINARY[op] as (x: number, y: number) => number;
        const dtype = ["Equal", "Less", "Greater", "And", "Or"].includes(op) ? 9 : (args[0] as F.Folded).dtype;
        return this.set(out, F.binary(args[0] as F.Folded, args[1] as F.Folded, f, dtype));
      }
      case "Not": {
        const x = this.constant(ins[0], "the operand");
        return this.set(
          out,
          F.folded(
            9,
            x.dims,
            F.numbers(x, "Not's operand").map((v) => (v ? 0 : 1)),
          ),
        );
      }
      case "Gather": {
        const x = args[0] as Value;
        if (isZeros(x)) return this.set(out, x);
        if (x.kind === "rnnOut") return this.lastLayerState(x, out, int("axis", 0), this.constant(ins[1], "the index"));
        if (x.kind === "ir") return this.splitInput(x, out, int("axis", 0), this.constant(ins[1], "the index"));
        return this.set(
          out,
          F.gather(this.constant(ins[0], "the data"), this.constant(ins[1], "the indices"), int("axis", 0)),
        );
      }
      case "Unsqueeze": {
        const x = args[0] as Value;
        if (isZeros(x)) return this.set(out, x);
        const axes = F.numbers(this.constant(ins[1], "the axes"), "Unsqueeze's axes");
        if (x.kind === "ir") return this.set(out, { ...x, view: unsqueezeView(axesOf(x), x.dims, viewOf(x), axes) });
        return this.set(out, F.unsqueeze(this.constant(ins[0], "the data"), axes));
      }
      case "Slice": {
        const x = args[0] as Value;
        if (isZeros(x)) return this.set(out, x);
        const list = (k: number): number[] | undefined =>
          ins[k] ? F.numbers(this.constant(ins[k], `input ${k}`), "Slice's bounds") : undefined;
        const starts = list(1) ?? [];
        const ends = list(2) ?? [];
        const rank = x.kind === "const" ? x.dims.length : x.kind === "ir" ? viewOf(x).length : 0;
        const axes = list(3) ?? starts.map((_, i) => i);
        const steps = list(4) ?? starts.map(() => 1);
        if (x.kind !== "const") return this.set(out, sliceIr(x, starts, ends, axes, steps, rank));
        return this.set(out, F.slice(x, starts, ends, axes, steps));
      }
      case "Concat": {
        if (allFolded) return this.set(out, F.concat(args as F.Folded[], int("axis", 0)));
        if (int("axis", 0) === 0 && args.every((a) => a?.kind === "ir" && viewOf(a).length === 3)) {
          return this.set(out, stack(args as IrValue[]));
        }
        const irs = (args as Value[]).map((v, k) => this.irOf(v, `${out}/in${k}`, `input ${k}`));
        const first = sameLayout(irs, "Concat");
        const rank = viewOf(first).length;
        const axis = int("axis", 0);
        if ((axis < 0 ? axis + rank : axis) !== viewOf(first).indexOf("F"))
          throw new Error(`Concat on axis ${axis} (not the feature axis ${viewOf(first).indexOf("F")}) has no IR form`);
        this.nodes.push(concat(out, ...irs.map((v) => v.name)));
        const width = irs.reduce((s, v) => s + (v.dims.at(-1) as number), 0);
        return this.set(out, { ...first, name: out, dims: [...first.dims.slice(0, -1), width] });
      }
      case "Squeeze":
      case "Transpose":
      case "Reshape":
      case "ReduceSum":
      case "ReduceMean":
      case "ReduceProd":
        return this.reshapeLike(node);
      default: {
        const fn = Object.hasOwn(ACTIVATIONS, op) ? ACTIVATIONS[op] : undefined;
        if (fn === undefined)
          throw new Error("this op has no Recurrent IR form (importOnnx reads RNN/LSTM/GRU models)");
        const x = this.irOf(args[0] as Value, `${out}/in`, "its input");
        const axis = int("axis", -1);
        if (op === "Softmax" && viewOf(x)[axis < 0 ? axis + viewOf(x).length : axis] !== "F") {
          throw new Error("Softmax over an axis other than the features has no IR form");
        }
        this.nodes.push(activation(out, fn, x.name));
        return this.set(out, { ...x, name: out });
      }
    }
  }

  /** The ONNX dims of a value (a constant's, an IR value's through its view, a recurrent node's outputs). */
  onnxDims(x: Value): Dims {
    if (x.kind === "const") return x.dims;
    if (x.kind === "ir") return viewDims(axesOf(x), x.dims, viewOf(x));
    if (x.kind === "rnnOut") {
      const nd = x.rnn.direction === "bidirectional" ? 2 : 1;
      const seq = (x.rnn as PendingRnn & { x: IrValue }).x;
      return x.slot === 0 ? [seq.dims[0] as Dim, nd, BATCH, x.rnn.units] : [nd, BATCH, x.rnn.units];
    }
    throw new DynamicError(`the shape of ${describe(x)} is not known at import`);
  }

  /** Gather of index k on axis 0 of a float graph input (Silero's `state[0]`, `state[1]`) → a state input. */
  splitInput(x: IrValue, out: string, axis: number, index: F.Folded): undefined {
    const root = x.name;
    const [k] = F.numbers(index, "the index");
    const stack = this.declared.get(root);
    const onnx = this.onnxDims(x);
    const n = onnx[0];
    if (stack === undefined || stack !== x || axis !== 0 || index.data.length !== 1 || typeof n !== "number") {
      throw new Error(
        `Gather of ${describe(x)} (axis ${axis}) has no IR form; only a constant index on axis 0 of a float graph input with a fixed axis 0 (a stack of states) is imported`,
      );
    }
    const at = (k as number) < 0 ? (k as number) + n : (k as number);
    if (at < 0 || at >= n) throw new Error(`index ${k} is out of range for axis 0 of size ${n}`);
    const parts = this.split.get(root) ?? new Map<number, IrValue>();
    this.split.set(root, parts);
    let v = parts.get(at);
    if (v === undefined) {
      const name = `${root}[${at}]`;
      const dims: Dims = [1, BATCH, onnx[2] as number];
      v = { kind: "ir", name, dims, root: undefined, axes: "DBF", view: "BF" };
      parts.set(at, v);
      this.inputShapes.delete(root);
      this.inputShapes.set(name, dims);
      this.stateInputs.add(name);
    }
    this.set(out, index.dims.length === 0 ? v : { ...v, view: "DBF" });
  }

  /**
   * A sequence the ONNX op reads as `want` (`TBF` for a recurrent node, `BFT` for Conv). A vector whose view is
   * `want` with `1` for T (a frame squeezed out of a one-step sequence and unsqueezed back) is repeated once.
   */
  asSequence(v: Value, want: "TBF" | "BFT", name: string, what: string): IrValue {
    const x = this.irOf(v, `${name}/in`, what);
    const view = viewOf(x);
    if (axesOf(x) === "TBF" && view === want) return x;
    if (axesOf(x) === "BF" && view === want.replace("T", "1")) {
      const id = `${name}/step`;
      this.nodes.push(repeat(id, { steps: 1 }, x.name));
      return { kind: "ir", name: id, dims: [1, BATCH, x.dims[1] as Dim], root: undefined, view: want };
    }
    const layout = want === "TBF" ? "[time, batch, features]" : "[batch, channels, time]";
    throw new Error(
      `${what} is ${describe(x)}, laid out [${viewDims(axesOf(x), x.dims, view).join(", ")}] (${view}); it must be ${layout}`,
    );
  }

  conv(node: DecodedNode): undefined {
    const { inputs: ins, attrs } = node;
    const out = node.outputs[0] as string;
    const x = this.asSequence(this.get(ins[0]) as Value, "BFT", out, "its input X");
    const w = this.constant(ins[1], "the weight W");
    if (!(w.data instanceof Float32Array)) throw new Error("the weight W is not a float tensor");
    const b = ins[2] ? this.constant(ins[2], "the bias B") : undefined;
    const conv = convFromOnnx(out, attrs, w.dims, x.dims[2] as number, b !== undefined, x.name);
    this.nodes.push(conv);
    this.weights[`${out}/weight`] = { shape: [...w.dims], data: w.data };
    if (b !== undefined)
      this.weights[`${out}/bias`] = { shape: [conv.filters], data: Float32Array.from(F.numbers(b, "B")) };
    const steps = stepsAfter(conv, x.dims[0] as Dim);
    this.set(out, { kind: "ir", name: out, dims: [steps, BATCH, conv.filters], root: undefined, view: "BFT" });
  }

  pad(node: DecodedNode): undefined {
    const { inputs: ins, attrs } = node;
    const out = node.outputs[0] as string;
    const x = this.irOf(this.get(ins[0]) as Value, `${out}/in`, "its input");
    const view = viewOf(x);
    if (axesOf(x) !== "TBF")
      throw new Error(`its input ${describe(x)} is no sequence; the IR pads the time axis of one`);
    let pads = F.numbers(this.constant(ins[1], "the pads"), "the pads");
    if (ins[3]) {
      // Opset 18+: pads for the listed axes only.
      const axes = F.numbers(this.constant(ins[3], "the axes"), "the axes").map((a) => (a < 0 ? a + view.length : a));
      const full = new Array<number>(2 * view.length).fill(0);
      axes.forEach((a, i) => {
        full[a] = pads[i] as number;
        full[a + view.length] = pads[i + axes.length] as number;
      });
      pads = full;
    }
    if (pads.length !== 2 * view.length)
      throw new Error(`pads has ${pads.length} entries for a rank-${view.length} input`);
    const fill = ins[2] ? (F.numbers(this.constant(ins[2], "the constant value"), "the constant value")[0] ?? 0) : 0;
    const mode = (attrs.get("mode") as string | undefined) ?? "constant";
    if (!view.includes("T"))
      throw new Error(`its input ${describe(x)} has its time axis squeezed away; nothing to pad`);
    const node2 = padFromOnnx(out, mode, pads, view.indexOf("T"), fill, x.name);
    if (node2.before + node2.after === 0) return this.set(out, x);
    this.nodes.push(node2);
    const dims = [stepsAfter(node2, x.dims[0] as Dim), ...x.dims.slice(1)];
    this.set(out, { ...x, name: out, dims, root: undefined });
  }

  sum(out: string, args: readonly Value[], _label: string): undefined {
    const irs = args.map((v, k) => this.irOf(v, `${out}/in${k}`, `input ${k}`));
    const first = sameLayout(irs, "the sum");
    this.nodes.push(add(out, ...irs.map((v) => v.name)));
    this.set(out, { ...first, name: out });
  }

  matmul(node: DecodedNode): undefined {
    const { inputs: ins, attrs } = node;
    const x = this.irOf(this.get(ins[0]) as Value, `${node.outputs[0]}/in`, "the left operand");
    const b = this.constant(ins[1], "the weight (right operand)");
    if (b.dims.length !== 2 || !(b.data instanceof Float32Array)) throw new Error("the weight is not a float matrix");
    let transB = false;
    let alpha = 1;
    let bias: Float32Array | undefined;
    if (node.opType === "Gemm") {
      if (((attrs.get("transA") as number | undefined) ?? 0) !== 0) throw new Error("transA=1 has no IR form");
      transB = ((attrs.get("transB") as number | undefined) ?? 0) === 1;
      alpha = (attrs.get("alpha") as number | undefined) ?? 1;
      if (x.dims.length !== 2) throw new Error("Gemm's input is not [batch, features]");
    }
    const [r, c] = b.dims as [number, number];
    const [I, O] = transB ? [c, r] : [r, c];
    if (x.dims.at(-1) !== I) throw new Error(`the input has ${x.dims.at(-1)} features but the weight expects ${I}`);
    if (viewOf(x).at(-1) !== "F") {
      throw new Error(`its input ${describe(x)} does not have its features last; the IR's dense reads the features`);
    }
    const w = new Float32Array(O * I);
    for (let o = 0; o < O; o++) {
      for (let i = 0; i < I; i++) w[o * I + i] = alpha * (transB ? b.data[o * I + i] : b.data[i * O + o])!;
    }
    const mm: Extract<Value, { kind: "matmul" }> = { kind: "matmul", x, w: { shape: [O, I], data: w } };
    if (node.opType === "Gemm" && ins[2]) {
      const beta = (attrs.get("beta") as number | undefined) ?? 1;
      const cst = this.constant(ins[2], "the bias C");
      bias = addBias(
        mm,
        F.binary(cst, F.folded(1, [], Float32Array.of(beta)), (p, q) => p * q),
      );
    }
    this.set(node.outputs[0], bias === undefined ? mm : { ...mm, bias });
  }

  recurrent(node: DecodedNode, label: string): undefined {
    const { inputs: ins, attrs } = node;
    const { cell, direction, nd, hiddenSize: H, simpleActivation: simpleAct } = readRecurrentAttributes(node);
    const x = this.asSequence(this.get(ins[0]) as Value, "TBF", node.outputs[0] as string, "its input X");
    const W = this.constant(ins[1], "W");
    const R = this.constant(ins[2], "R");
    const B = ins[3] ? this.constant(ins[3], "B") : undefined;
    if (ins[7]) {
      const P = this.constant(ins[7], "the peephole weights P");
      if (F.numbers(P, "P").some((v) => v !== 0)) throw new Error("peephole weights (input P) have no IR form");
    }
    const D = x.dims[2] as number;
    const G = { simple: 1, lstm: 4, gru: 3 }[cell];
    const units = H ?? (W.dims[1] as number) / G;
    const expect = (t: F.Folded, dims: number[], what: string): Float32Array => {
      if (t.dims.join() !== dims.join() || !(t.data instanceof Float32Array)) {
        throw new Error(`${what} has shape [${t.dims.join(", ")}], expected float [${dims.join(", ")}]`);
      }
      return t.data;
    };
    const params = unpackWeights(
      cell,
      nd,
      units,
      D,
      expect(W, [nd, G * units, D], "W"),
      expect(R, [nd, G * units, units], "R"),
      B === undefined ? undefined : expect(B, [nd, 2 * G * units], "B"),
    );
    const lens = this.get(ins[4]);
    if (lens !== undefined) {
      if (lens.kind !== "lengths") throw new DynamicError("sequence_lens is not a graph input (the lengths feed)");
      if (x.root === undefined) throw new Error("its input's sequence input is not known");
      const had = this.lengthsOf.get(x.root);
      if (had !== undefined && had !== lens.feed) throw new Error(`sequence input "${x.root}" gets two lengths feeds`);
      this.lengthsOf.set(x.root, lens.feed);
    }
    const states = [5, 6].slice(0, cell === "lstm" ? 2 : 1).map((k) => {
      const s = this.get(ins[k]);
      if (s === undefined || isZeros(s)) return undefined;
      if (s.kind === "rnnOut" && s.slot > 0 && s.rnn.emitted !== undefined) {
        return `${s.rnn.emitted}/${s.slot === 1 ? "h" : "c"}`;
      }
      if (s.kind === "ir" && this.inputShapes.has(s.name) && viewOf(s).length === 3) {
        this.stateInputs.add(s.name);
        this.inputShapes.set(s.name, [nd, BATCH, units]);
        return s.name;
      }
      // Another rnn's final state squeezed and unsqueezed back to [1, B, H].
      if (s.kind === "ir" && axesOf(s) === "DBF" && viewOf(s) === "DBF") return s.name;
      throw new Error(
        `initial state ${k === 5 ? "initial_h" : "initial_c"} is ${describe(s)}; only zeros or a graph input are imported`,
      );
    });
    const gruAttr =
      cell === "gru" ? { resetAfter: ((attrs.get("linear_before_reset") as number | undefined) ?? 0) === 1 } : {};
    const pending: PendingRnn = {
      node,
      label,
      cell,
      direction,
      units,
      ...(cell === "simple" ? { activation: simpleAct ?? "tanh" } : {}),
      ...gruAttr,
      params,
      states,
      ...{ x },
    } as PendingRnn & { x: IrValue };
    this.pending.push(pending);
    node.outputs.forEach((o, slot) => {
      this.set(o, { kind: "rnnOut", rnn: pending, slot, transposed: false });
    });
  }

  /** Emits the pending rnn as node `id` with the given merge; returns its IR value. */
  emitRnn(
    p: PendingRnn,
    id: string,
    returnSequences: boolean,
    merge: "sum" | "concat" | "ave" | "mul" | undefined,
  ): undefined {
    if (p.emitted !== undefined)
      throw new Error(`recurrent node ${p.label} is read twice; only one merge of its output is imported`);
    p.emitted = id;
    const x = (p as PendingRnn & { x: IrValue }).x;
    // A graph input named as the exporter names an unwired state (`<id>/h_0`) stays unwired: fed as `<id>/h`.
    const stateIns = p.states.map((s, k) => {
      if (s === undefined) return "";
      if (s !== stateInputName(id, CELL_SPECS[p.cell].states[k] as StateName)) return s;
      this.inputShapes.delete(s);
      return "";
    });
    while (stateIns.at(-1) === "") stateIns.pop();
    this.nodes.push(
      rnn(
        id,
        {
          cell: p.cell,
          units: p.units,
          direction: p.direction,
          returnSequences,
          ...(merge === undefined ? {} : { merge }),
          ...(p.activation === undefined ? {} : { activation: p.activation }),
          ...(p.resetAfter === undefined ? {} : { resetAfter: p.resetAfter }),
        },
        x.name,
        ...stateIns,
      ),
    );
    for (const [k, t] of Object.entries(p.params)) this.weights[`${id}/${k}`] = t;
    const width = merge === "concat" ? 2 * p.units : p.units;
    this.values.set(id, {
      kind: "ir",
      name: id,
      dims: returnSequences ? [x.dims[0] as string, BATCH, width] : [BATCH, width],
      root: returnSequences ? x.root : undefined,
    });
    // Final states keep their ONNX names as aliases of `<id>/h`, `<id>/c` for later consumers.
  }

  /** `h_n[-1]` of a one-direction, one-layer node (torch's many-to-one head): its final state, `[B, H]`. */
  lastLayerState(x: Extract<Value, { kind: "rnnOut" }>, out: string, axis: number, index: F.Folded): undefined {
    const [i] = F.numbers(index, "the index");
    const oneDirection = x.rnn.direction !== "bidirectional";
    if (x.slot === 1 && axis === 0 && index.dims.length === 0 && (i === 0 || i === -1) && oneDirection) {
      return this.emitRnn(x.rnn, out, false, undefined);
    }
    throw new Error(
      `this Gather of output ${x.slot} of ${x.rnn.label} (${x.rnn.node.opType}) is not the final state of a one-direction layer (Y_h[0] or Y_h[-1]); the IR has no form for it`,
    );
  }

  reshapeLike(node: DecodedNode): undefined {
    const { opType: op, inputs: ins, outputs: outs, attrs } = node;
    const out = outs[0] as string;
    const x = this.get(ins[0]) as Value;
    if (isZeros(x)) return this.set(out, { kind: "zeros" });
    const axesOf = (): number[] | undefined => {
      if (ins[1]) return F.numbers(this.constant(ins[1], "the axes"), "the axes");
      return attrs.get("axes") as number[] | undefined;
    };
    if (x.kind === "const") {
      if (op === "Squeeze") return this.set(out, F.squeeze(x, axesOf()));
      if (op === "Transpose") return this.set(out, F.transpose(x, attrs.get("perm") as number[] | undefined));
      if (op === "Reshape")
        return this.set(out, F.reshape(x, F.numbers(this.constant(ins[1], "the shape"), "the shape")));
      throw new Error(`${op} of a constant is not folded`);
    }
    if (x.kind === "rnnOut") {
      const p = x.rnn;
      const seq = x.slot === 0;
      const dirAxis = seq ? 1 : 0;
      const nd = p.direction === "bidirectional" ? 2 : 1;
      if (op === "Squeeze" && !x.transposed && nd === 1 && (axesOf() ?? []).join() === String(dirAxis)) {
        if (x.slot === 0 || (x.slot === 1 && p.emitted === undefined)) return this.emitRnn(p, out, seq, undefined);
        // A final state [1, B, H] squeezed to [B, H] (Silero's LSTMCell step): the rnn's `<id>/h` or `<id>/c`.
        if (p.emitted === undefined) this.emitRnn(p, p.node.outputs[0] as string, false, undefined);
        return this.set(out, {
          kind: "ir",
          name: `${p.emitted}/${x.slot === 1 ? "h" : "c"}`,
          dims: [1, BATCH, p.units],
          root: undefined,
          axes: "DBF",
          view: "BF",
        });
      }
      if (x.slot === 2)
        throw new Error("reading Y_c other than as a graph output or squeezed to [batch, units] has no IR form");
      if (op === "Transpose" && !x.transposed && nd === 2) {
        const perm = (attrs.get("perm") as number[] | undefined)?.join();
        if (perm === (seq ? "0,2,1,3" : "1,0,2")) return this.set(out, { ...x, transposed: true });
      }
      if (op === "Reshape" && x.transposed) {
        const shape = F.numbers(this.constant(ins[1], "the shape"), "Reshape's shape").join();
        const ok = seq ? ["0,0,-1", `0,0,${2 * p.units}`] : ["0,-1", `0,${2 * p.units}`, `-1,${2 * p.units}`];
        if (ok.includes(shape)) return this.emitRnn(p, out, seq, "concat");
      }
      if (
        Object.hasOwn(MERGES, op) &&
        !x.transposed &&
        nd === 2 &&
        ((attrs.get("keepdims") as number | undefined) ?? 1) === 0
      ) {
        if ((axesOf() ?? []).join() === String(dirAxis))
          return this.emitRnn(p, out, seq, MERGES[op as keyof typeof MERGES]);
      }
      throw new Error(
        `this ${op} of the output of ${p.label} (${p.node.opType}) is not a direction merge the IR has (Squeeze of the direction axis; Transpose [0,2,1,3] + Reshape [0,0,-1]; ReduceSum/Mean/Prod over the direction axis with keepdims=0)`,
      );
    }
    if (x.kind === "ir") return this.reshapeIr(node, x, axesOf());
    throw new Error(`${op} of ${describe(x)} has no IR form`);
  }

  /** Squeeze / Transpose rewrite an IR value's view; ReduceMean over its time axis is a mean pool. */
  reshapeIr(node: DecodedNode, x: IrValue, axes: number[] | undefined): undefined {
    const { opType: op, outputs: outs, attrs } = node;
    const out = outs[0] as string;
    const view = viewOf(x);
    if (op === "Squeeze") return this.set(out, { ...x, view: squeezeView(axesOf(x), x.dims, view, axes) });
    if (op === "Transpose") {
      return this.set(out, { ...x, view: transposeView(view, attrs.get("perm") as number[] | undefined) });
    }
    if (
      op === "ReduceMean" &&
      axes?.length === 1 &&
      view[(axes[0] as number) < 0 ? (axes[0] as number) + view.length : (axes[0] as number)] === "T"
    ) {
      const t = view.indexOf("T");
      const keep = ((attrs.get("keepdims") as number | undefined) ?? 1) === 1;
      this.nodes.push(pool(out, "mean", x.name));
      const pooled = view.replace("T", keep ? "1" : "");
      // A unit axis where F was left out reads as F again.
      const fixed =
        keep && !pooled.includes("F") && x.dims[2] === 1 ? `${pooled.slice(0, t)}F${pooled.slice(t + 1)}` : pooled;
      return this.set(out, {
        kind: "ir",
        name: out,
        dims: [BATCH, x.dims[2] as Dim],
        root: undefined,
        axes: "BF",
        view: fixed,
      });
    }
    throw new Error(
      `${op} of ${describe(x)} has no IR form (Squeeze, Transpose, and ReduceMean over time are imported)`,
    );
  }

  inlineIf(node: DecodedNode): undefined {
    const c0 = this.get(node.inputs[0]);
    if (c0 !== undefined && c0.kind !== "const" && c0.kind !== "dynamic") {
      throw new DynamicError(`the condition ("${node.inputs[0]}") is ${describe(c0)}, known only at run time`);
    }
    const cond = this.constant(node.inputs[0], "the condition");
    const [c] = F.numbers(cond, "the condition");
    const branch = node.attrs.get(c ? "then_branch" : "else_branch") as DecodedGraph | undefined;
    if (branch === undefined || !("nodes" in branch)) throw new Error("the taken branch is missing");
    for (const t of branch.initializers) this.values.set(t.name, fromTensor(t));
    this.walk(branch.nodes);
    branch.outputs.forEach((o, k) => {
      this.set(node.outputs[k], this.get(o.name) as Value);
    });
  }
}

/** The binding of one IR value. */
function part(v: IrValue): BindingPart {
  return { ir: v.name, axes: axesOf(v), view: viewOf(v) };
}

/** The first of values that must share one layout (elementwise sums, feature concats); throws naming `what`. */
function sameLayout(irs: readonly IrValue[], what: string): IrValue {
  const first = irs[0] as IrValue;
  for (const v of irs) {
    if (axesOf(v) !== axesOf(first) || viewOf(v) !== viewOf(first)) {
      throw new Error(
        `${what} of ${describe(first)} and ${describe(v)}: their layouts differ, which the IR cannot express`,
      );
    }
  }
  return first;
}
