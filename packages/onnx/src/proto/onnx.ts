/**
 * The few ONNX messages the exporter writes, as plain objects, and their encoding. Field numbers are those of
 * onnx/onnx.in.proto (see shared/reference/onnx-export.md §6). Public (`@recurrent/onnx`'s `ModelProto`, …,
 * `encodeOnnxModel`) so that a wrapper can edit an exported graph — add nodes, rename inputs — without a second
 * protobuf library.
 */
import { ProtoWriter } from "./writer.js";

/** Tensor element types used here (TensorProto.DataType); exported as `OnnxDataType`. */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7, BOOL: 9 } as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

/**
 * An initializer: float32, int32 or int64 data (the element type follows the array), stored little-endian in
 * `raw_data`, row-major. `dims: []` is a scalar (one value).
 */
export interface TensorProto {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data: Float32Array | Int32Array | BigInt64Array;
}

/** A node attribute; `type` selects which value field is written. */
export type AttributeProto =
  | { readonly name: string; readonly type: "float"; readonly value: number }
  | { readonly name: string; readonly type: "int"; readonly value: number }
  | { readonly name: string; readonly type: "string"; readonly value: string }
  | { readonly name: string; readonly type: "floats"; readonly value: readonly number[] }
  | { readonly name: string; readonly type: "ints"; readonly value: readonly number[] }
  | { readonly name: string; readonly type: "strings"; readonly value: readonly string[] };

/** One operator application. `""` in `inputs` / `outputs` skips an optional slot. */
export interface NodeProto {
  readonly name: string;
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: readonly AttributeProto[];
}

/** A typed graph input or output; a string dim is a symbolic `dim_param`. */
export interface ValueInfoProto {
  readonly name: string;
  readonly elemType: DataTypeCode;
  readonly shape: readonly (number | string)[];
}

/** A graph: `nodes` in topological order, then its initializers, inputs and outputs. */
export interface GraphProto {
  readonly name: string;
  readonly nodes: readonly NodeProto[];
  readonly initializers: readonly TensorProto[];
  readonly inputs: readonly ValueInfoProto[];
  readonly outputs: readonly ValueInfoProto[];
}

/** A model: one graph on the default domain `ai.onnx` at `opsetVersion`. */
export interface ModelProto {
  readonly irVersion: number;
  readonly opsetVersion: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly graph: GraphProto;
  /** `metadata_props`: StringStringEntryProto { key = 1, value = 2 }, in this order. */
  readonly metadataProps?: readonly { readonly key: string; readonly value: string }[];
}

const ATTR_TYPE = { float: 1, int: 2, string: 3, floats: 6, ints: 7, strings: 8 } as const;

function dataTypeOf(data: TensorProto["data"]): DataTypeCode {
  if (data instanceof Float32Array) return DataType.FLOAT;
  if (data instanceof Int32Array) return DataType.INT32;
  return DataType.INT64;
}

/** Little-endian bytes of a typed array (a copy on big-endian hosts, a view otherwise). */
function littleEndianBytes(data: TensorProto["data"]): Uint8Array {
  const bytes = new Uint8Array(data.byteLength);
  const view = new DataView(bytes.buffer);
  if (data instanceof BigInt64Array) for (let i = 0; i < data.length; i++) view.setBigInt64(i * 8, data[i]!, true);
  else if (data instanceof Int32Array) for (let i = 0; i < data.length; i++) view.setInt32(i * 4, data[i]!, true);
  else for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i]!, true);
  return bytes;
}

function writeTensor(w: ProtoWriter, t: TensorProto): void {
  const count = t.dims.reduce((n, d) => n * d, 1);
  if (count !== t.data.length) {
    // onnxruntime would refuse the file with a message that does not name the initializer.
    throw new RangeError(
      `ONNX initializer "${t.name}": dims [${t.dims.join(", ")}] hold ${count} values, but its data has ${t.data.length}`,
    );
  }
  for (const d of t.dims) w.int(1, d);
  w.int(2, dataTypeOf(t.data));
  w.string(8, t.name);
  w.bytes(9, littleEndianBytes(t.data));
}

function writeAttribute(w: ProtoWriter, a: AttributeProto): void {
  w.string(1, a.name);
  w.int(20, ATTR_TYPE[a.type]);
  switch (a.type) {
    case "float":
      w.float(2, a.value);
      break;
    case "int":
      w.int(3, a.value);
      break;
    case "string":
      w.string(4, a.value);
      break;
    case "floats":
      w.packedFloats(7, a.value);
      break;
    case "ints":
      w.packedInts(8, a.value);
      break;
    case "strings":
      for (const s of a.value) w.string(9, s);
      break;
    default:
      a satisfies never;
  }
}

function writeNode(w: ProtoWriter, n: NodeProto): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name);
  w.string(4, n.opType);
  for (const a of n.attributes) w.message(5, (m) => writeAttribute(m, a));
}

function writeValueInfo(w: ProtoWriter, v: ValueInfoProto): void {
  w.string(1, v.name);
  // TypeProto.tensor_type(1) → { elem_type(1), shape(2) → dim(1) → { dim_value(1) | dim_param(2) } }
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, v.elemType);
      tensor.message(2, (shape) => {
        for (const d of v.shape) {
          shape.message(1, (dim) => (typeof d === "number" ? dim.int(1, d) : dim.string(2, d)));
        }
      });
    }),
  );
}

function writeGraph(w: ProtoWriter, g: GraphProto): void {
  for (const n of g.nodes) w.message(1, (m) => writeNode(m, n));
  w.string(2, g.name);
  for (const t of g.initializers) w.message(5, (m) => writeTensor(m, t));
  for (const i of g.inputs) w.message(11, (m) => writeValueInfo(m, i));
  for (const o of g.outputs) w.message(12, (m) => writeValueInfo(m, o));
}

/**
 * Serializes a model to ONNX's protobuf bytes (what `onnxruntime` and `onnx.load` read). Exported as
 * `encodeOnnxModel`. It writes what it is given: it does not check that node inputs exist or that ops are valid.
 * @throws RangeError when an initializer's dims do not hold its data's length, or a dim / int attribute is not
 *   a safe integer.
 */
export function encodeModel(model: ModelProto): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, model.irVersion);
  w.string(2, model.producerName);
  w.string(3, model.producerVersion);
  w.message(7, (g) => writeGraph(g, model.graph));
  w.message(8, (op) => {
    op.string(1, "");
    op.int(2, model.opsetVersion);
  });
  for (const { key, value } of model.metadataProps ?? []) {
    w.message(14, (entry) => {
      entry.string(1, key);
      entry.string(2, value);
    });
  }
  return w.finish().slice();
}
