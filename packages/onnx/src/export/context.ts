/**
 * The state of one export: ONNX nodes, initializers and graph inputs collected so far, unique value names, cached
 * constants, and the facts validation inferred about the IR graph.
 */
import { formatShape, type LayerNode, type Shape, type Tensor, type ValidModel, type Weights } from "@recurrent/core";
import type { AttributeProto, DataTypeCode, NodeProto, TensorProto, ValueInfoProto } from "../proto/onnx.js";
import { OnnxExportError } from "./errors.js";

/** Attributes of one emitted op, by name: numbers are ints, arrays of numbers ints, strings and string lists. */
export type Attrs = Readonly<Record<string, number | string | readonly number[] | readonly string[]>>;

/** Collects one export; the per-op exporters (`src/export/<op>.ts`) append to it in topological order. */
export class ExportContext {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  readonly inputs: ValueInfoProto[] = [];
  /** Constants and derived values (masks, shapes) already emitted, keyed by what they are made from. */
  readonly #cache = new Map<string, string>();
  readonly #taken: Set<string>;
  #counter = 0;

  constructor(
    readonly model: ValidModel,
    readonly weights: Weights,
    readonly opset: number,
    reserved: Iterable<string>,
  ) {
    this.#taken = new Set(reserved);
  }

  /** A value name no IR value, feed or earlier intermediate uses. */
  fresh(hint: string): string {
    let name: string;
    do name = `${hint}:${this.#counter++}`;
    while (this.#taken.has(name));
    this.#taken.add(name);
    return name;
  }

  /**
   * Emits one op and returns its (first) output: `out` when given (an IR value name), else a fresh name derived
   * from `hint`. `""` in `inputs` skips an optional input; trailing ones are dropped.
   */
  op(opType: string, inputs: readonly string[], attrs: Attrs = {}, out?: string, hint = opType): string {
    const output = out ?? this.fresh(hint);
    this.emit(opType, inputs, [output], attrs);
    return output;
  }

  /** Emits one op with several outputs (`""` for unused optional ones). */
  emit(opType: string, inputs: readonly string[], outputs: readonly string[], attrs: Attrs = {}): void {
    const trimmed = [...inputs];
    while (trimmed.at(-1) === "") trimmed.pop();
    this.nodes.push({
      name: `${opType}_${this.nodes.length}`,
      opType,
      inputs: trimmed,
      outputs,
      attributes: Object.entries(attrs).map(([name, value]) => toAttribute(name, value)),
    });
  }

  /** Adds a float initializer and returns its name. */
  initializer(hint: string, dims: readonly number[], data: Float32Array): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, dims, data });
    return name;
  }

  /** A cached int64 constant (a scalar when `dims` is `[]`). */
  int64(values: readonly (number | bigint)[], dims: readonly number[] = [values.length]): string {
    const key = `int64:${dims.join(",")}:${values.join(",")}`;
    return this.#cached(key, () => {
      const name = this.fresh("const");
      this.initializers.push({ name, dims, data: BigInt64Array.from(values, (v) => BigInt(v)) });
      return name;
    });
  }

  /** A cached int32 constant (a scalar when `dims` is `[]`). */
  int32(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const key = `int32:${dims.join(",")}:${values.join(",")}`;
    return this.#cached(key, () => {
      const name = this.fresh("const");
      this.initializers.push({ name, dims, data: Int32Array.from(values) });
      return name;
    });
  }

  /** A cached float32 constant (a scalar when `dims` is `[]`). */
  float(values: readonly number[], dims: readonly number[] = []): string {
    const key = `float:${dims.join(",")}:${values.join(",")}`;
    return this.#cached(key, () => this.initializer("const", dims, Float32Array.from(values)));
  }

  /** Memoizes a derived value under `key`. */
  #cached(key: string, make: () => string): string {
    let name = this.#cache.get(key);
    if (name === undefined) {
      name = make();
      this.#cache.set(key, name);
    }
    return name;
  }

  /** Memoizes a derived value under `key` (masks, shapes). */
  memo(key: string, make: () => string): string {
    return this.#cached(`memo:${key}`, make);
  }

  /** Declares a graph input. */
  addInput(name: string, elemType: DataTypeCode, shape: Shape): void {
    this.inputs.push({ name, elemType, shape: [...shape] });
  }

  /** The inferred shape of an IR value. */
  shapeOf(value: string): Shape {
    const shape = this.model.info.shapes.get(value);
    if (shape === undefined) throw new Error(`internal: no inferred shape for value "${value}"`);
    return shape;
  }

  /** The lengths feed masking a sequence value (undefined: every step valid). */
  lengthsOf(value: string): string | undefined {
    return this.model.info.lengthsOf.get(value);
  }

  /**
   * A weight of `node`, checked against the expected shape.
   * @throws OnnxExportError WEIGHTS when it is missing or misshaped.
   */
  weight(node: LayerNode, param: string, shape: readonly number[]): Tensor {
    const key = `${node.id}/${param}`;
    const w = this.weights[key];
    if (w === undefined) {
      throw new OnnxExportError(
        "WEIGHTS",
        `node "${node.id}" (${node.op}): weight "${key}" is missing, expected ${formatShape(shape)}; ` +
          "hint: pass the weights the model was validated with (initWeights or loadModel)",
        node.id,
      );
    }
    const ok = w.shape.length === shape.length && w.shape.every((d, i) => d === shape[i]);
    if (!ok || w.data.length !== shape.reduce((a, b) => a * b, 1)) {
      throw new OnnxExportError(
        "WEIGHTS",
        `node "${node.id}" (${node.op}): weight "${key}" is ${formatShape(w.shape)} with ${w.data.length} values, ` +
          `expected ${formatShape(shape)}; hint: the weights do not belong to this model`,
        node.id,
      );
    }
    return w;
  }
}

function toAttribute(name: string, value: Attrs[string]): AttributeProto {
  if (typeof value === "number") return { name, type: "int", value };
  if (typeof value === "string") return { name, type: "string", value };
  return value.every((v) => typeof v === "string")
    ? { name, type: "strings", value: value as readonly string[] }
    : { name, type: "ints", value: value as readonly number[] };
}
