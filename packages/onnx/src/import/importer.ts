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
  dense,
  type LayerNode,
  rnn,
  type StateName,
  type Tensor,
  TIME,
  type ValidModel,
  type Weights,
} from "@recurrent/core";
import { MAX_OPSET } from "../export/options.js";
import { stateInputName } from "../export/rnn.js";
import { type DecodedGraph, type DecodedNode, type DecodedTensor, decodeModel } from "./decode.js";
import { OnnxImportError } from "./errors.js";
import * as F from "./fold.js";
import { CELL_OF_OP, type PendingRnn, readRecurrentAttributes, unpackWeights } from "./rnn.js";
import {
  addBias,
  BINARY,
  type Dims,
  DynamicError,
  describe,
  fromTensor,
  type IrValue,
  isZeros,
  type Value,
} from "./values.js";

/** The lowest opset imported: Squeeze / Unsqueeze / ReduceSum take their axes as inputs from 13 on. */
export const MIN_IMPORT_OPSET = 13;
/** The highest opset imported (the exporter's highest). */
export const MAX_IMPORT_OPSET = MAX_OPSET;

/** What {@link importOnnx} returns. */
export interface ImportedOnnx {
  readonly model: ValidModel;
  readonly weights: Weights;
  /** ONNX graph output name → the IR value (a node id, or an rnn's final state `<id>/h`, `<id>/c`). */
  readonly outputs: Readonly<Record<string, string>>;
}

const ACTIVATIONS: Readonly<Record<string, Activation>> = {
  Relu: "relu",
  Tanh: "tanh",
  Sigmoid: "sigmoid",
  Softmax: "softmax",
};
const MERGES = { ReduceSum: "sum", ReduceMean: "ave", ReduceProd: "mul" } as const;

/**
 * Imports an ONNX model of recurrent layers: RNN / LSTM / GRU (any direction, `sequence_lens`, initial states as
 * graph inputs or zeros, `layout` 0), MatMul + Add and Gemm (→ `dense`), Relu / Tanh / Sigmoid / Softmax, Sum,
 * Concat on features, and the glue around them (Squeeze, Transpose + Reshape, ReduceSum/Mean/Prod over the
 * direction axis; Shape, Gather, Unsqueeze, Concat, Slice, ConstantOfShape, Constant, Cast, Identity, Expand,
 * arithmetic and comparisons folded when static; `If` whose condition folds is inlined).
 *
 * Float rank-3 graph inputs become sequence inputs `[time, batch, D]` (rank 2: vectors `[batch, D]`); an int
 * input used as `sequence_lens` becomes that input's lengths feed under its ONNX name.
 * @param bytes a serialized ModelProto (weights inside the file).
 * @returns the validated model, its weights (PyTorch names and layouts) and the ONNX → IR output names.
 * @throws OnnxImportError NOT_ONNX (not a model), OPSET (outside {@link MIN_IMPORT_OPSET}..{@link MAX_IMPORT_OPSET}),
 *   UNSUPPORTED_NODE (message names the node, its op and why), DYNAMIC (an `If` condition or shape that needs
 *   runtime values), BAD_GRAPH (an output or input the IR cannot express).
 */
export function importOnnx(bytes: Uint8Array): ImportedOnnx {
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
  return new Importer(graph).run();
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

  constructor(readonly graph: DecodedGraph) {}

  run(): ImportedOnnx {
    const g = this.graph;
    for (const t of g.initializers) this.values.set(t.name, fromTensor(t));
    for (const inp of g.inputs) {
      if (this.values.has(inp.name)) continue; // an initializer with a default value: a weight
      const dims = inp.dims;
      if (dims === undefined) throw new OnnxImportError("BAD_GRAPH", `graph input "${inp.name}" has no shape`);
      if (inp.elemType === 6 || inp.elemType === 7) {
        if (dims.length !== 1) {
          throw new OnnxImportError("BAD_GRAPH", `int graph input "${inp.name}" is not a lengths vector [batch]`);
        }
        this.values.set(inp.name, { kind: "lengths", feed: inp.name });
        continue;
      }
      if (inp.elemType !== 1 || (dims.length !== 3 && dims.length !== 2)) {
        throw new OnnxImportError(
          "BAD_GRAPH",
          `graph input "${inp.name}" (type ${inp.elemType}, rank ${dims.length}) is neither float [time, batch, D] nor [batch, D]`,
        );
      }
      const last = dims.at(-1);
      if (typeof last !== "number") {
        throw new OnnxImportError("BAD_GRAPH", `graph input "${inp.name}" has no fixed feature size (last dim)`);
      }
      const shape: Dims =
        dims.length === 3 ? [typeof dims[0] === "string" ? dims[0] : TIME, BATCH, last] : [BATCH, last];
      this.inputShapes.set(inp.name, shape);
      this.values.set(inp.name, { kind: "ir", name: inp.name, dims: shape, root: inp.name });
    }
    this.walk(g.nodes);

    const outputs: Record<string, string> = {};
    const irOutputs: string[] = [];
    for (const o of g.outputs) {
      const v = this.values.get(o.name);
      if (v?.kind === "rnnOut" && v.slot > 0 && v.rnn.emitted !== undefined) {
        const state = `${v.rnn.emitted}/${v.slot === 1 ? "h" : "c"}`;
        outputs[o.name] = state;
        irOutputs.push(state);
        continue;
      }
      let ir = v === undefined ? undefined : this.irOf(v, o.name, `graph output "${o.name}"`);
      if (ir !== undefined && ir.name !== o.name) {
        this.nodes.push(activation(o.name, "linear", ir.name));
        ir = { ...ir, name: o.name };
      }
      if (ir === undefined) throw new OnnxImportError("BAD_GRAPH", `graph output "${o.name}" is not computed`);
      outputs[o.name] = ir.name;
      irOutputs.push(ir.name);
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
      inputs.push({ op: "input", id: name, inputs: [], shape, ...(lengths === undefined ? {} : { lengths }) });
    }
    const graphJson = {
      format: "recurrent.graph/1" as const,
      name: this.graph.name || "imported",
      nodes: [...inputs, ...this.nodes],
      outputs: irOutputs,
    };
    return { model: assertValid(graphJson, this.weights), weights: this.weights, outputs };
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
      throw new DynamicError(`${what} ("${name}") cannot be folded at import: ${v.why}`);
    }
    throw new Error(`${what} ("${name}") is ${describe(v)}; this op is imported only on values known at import`);
  }

  /** An IR value, materializing a waiting MatMul as a dense layer named `name`. */
  irOf(v: Value, name: string, what: string): IrValue {
    if (v.kind === "ir") return v;
    if (v.kind === "matmul") {
      const units = v.w.shape[0] as number;
      this.nodes.push(dense(name, { units, useBias: v.bias !== undefined }, v.x.name));
      this.weights[`${name}/weight`] = v.w;
      if (v.bias !== undefined) this.weights[`${name}/bias`] = { shape: [units], data: v.bias };
      const ir: IrValue = { kind: "ir", name, dims: [...v.x.dims.slice(0, -1), units], root: v.x.root };
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
        if (x.kind === "lengths" || x.kind === "zeros") return this.set(out, x);
        if (int("to", 1) !== 1) throw new Error(`a cast of ${describe(x)} to type ${int("to", 1)} has no IR form`);
        return this.set(out, x); // float to float
      }
      case "Shape": {
        const x = args[0] as Value;
        const dims = x.kind === "const" ? x.dims : x.kind === "ir" ? x.dims : undefined;
        if (dims === undefined) throw new DynamicError(`the shape of ${describe(x)} is not known at import`);
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
      case "If":
        return this.inlineIf(node);
      case "MatMul":
      case "Gemm":
        return this.matmul(node);
      case "Add": {
        const [a, b] = args as [Value, Value];
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
        return this.set(
          out,
          F.gather(this.constant(ins[0], "the data"), this.constant(ins[1], "the indices"), int("axis", 0)),
        );
      }
      case "Unsqueeze": {
        const x = args[0] as Value;
        if (isZeros(x)) return this.set(out, x);
        const axes = F.numbers(this.constant(ins[1], "the axes"), "Unsqueeze's axes");
        return this.set(out, F.unsqueeze(this.constant(ins[0], "the data"), axes));
      }
      case "Slice": {
        const x = args[0] as Value;
        if (isZeros(x)) return this.set(out, x);
        const data = this.constant(ins[0], "the data");
        const at = (k: number, fallback: number): number =>
          ins[k] ? (F.numbers(this.constant(ins[k], `input ${k}`), "Slice's bounds")[0] as number) : fallback;
        if (at(3, 0) !== 0) throw new Error("only axis 0 of a folded value is sliced");
        return this.set(out, F.slice1d(data, at(1, 0), at(2, Number.MAX_SAFE_INTEGER), at(4, 1)));
      }
      case "Concat": {
        if (allFolded) return this.set(out, F.concat(args as F.Folded[], int("axis", 0)));
        const irs = (args as Value[]).map((v, k) => this.irOf(v, `${out}/in${k}`, `input ${k}`));
        const rank = irs[0]?.dims.length ?? 0;
        const axis = int("axis", 0);
        if (axis !== -1 && axis !== rank - 1)
          throw new Error(`Concat on axis ${axis} (not the feature axis ${rank - 1}) has no IR form`);
        this.nodes.push(concat(out, ...irs.map((v) => v.name)));
        const width = irs.reduce((s, v) => s + (v.dims.at(-1) as number), 0);
        return this.set(out, {
          kind: "ir",
          name: out,
          dims: [...(irs[0] as IrValue).dims.slice(0, -1), width],
          root: irs[0]?.root,
        });
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
        if (op === "Softmax" && int("axis", -1) !== -1 && int("axis", -1) !== x.dims.length - 1) {
          throw new Error("Softmax over an axis other than the features has no IR form");
        }
        this.nodes.push(activation(out, fn, x.name));
        return this.set(out, { ...x, name: out });
      }
    }
  }

  sum(out: string, args: readonly Value[], _label: string): undefined {
    const irs = args.map((v, k) => this.irOf(v, `${out}/in${k}`, `input ${k}`));
    this.nodes.push(add(out, ...irs.map((v) => v.name)));
    this.set(out, { ...(irs[0] as IrValue), name: out });
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
    const x = this.irOf(this.get(ins[0]) as Value, `${node.outputs[0]}/in`, "its input X");
    if (x.dims.length !== 3) throw new Error("its input X is not a sequence [time, batch, features]");
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
      if (s.kind === "ir" && this.inputShapes.has(s.name)) {
        this.stateInputs.add(s.name);
        this.inputShapes.set(s.name, [nd, BATCH, units]);
        return s.name;
      }
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
      if (op === "Reshape")
        return this.set(out, F.reshape(x, F.numbers(this.constant(ins[1], "the shape"), "the shape")));
      throw new Error(`${op} of a constant is not folded`);
    }
    if (x.kind === "rnnOut") {
      const p = x.rnn;
      const seq = x.slot === 0;
      const dirAxis = seq ? 1 : 0;
      const nd = p.direction === "bidirectional" ? 2 : 1;
      if (x.slot === 2) throw new Error("reading Y_c other than as a graph output has no IR form");
      if (op === "Squeeze" && !x.transposed && nd === 1 && (axesOf() ?? []).join() === String(dirAxis)) {
        return this.emitRnn(p, out, seq, undefined);
      }
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
    throw new Error(`${op} of ${describe(x)} has no IR form`);
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
