/**
 * Decodes the parts of an ONNX ModelProto the importer reads: the default-domain opset, the graph's nodes (with
 * attributes, including `If` branches as nested graphs), initializers and typed inputs / outputs. A plain proto2
 * wire-format walk, like `proto/reader.ts` (which reads only the signature); field numbers from onnx/onnx.in.proto.
 */

/** A decoded tensor: float data as Float32Array, integer and bool data as plain numbers. */
export interface DecodedTensor {
  readonly name: string;
  /** TensorProto.DataType: 1 float, 6 int32, 7 int64, 9 bool, 11 double, … */
  readonly dtype: number;
  readonly dims: readonly number[];
  readonly data: Float32Array | readonly number[];
}

export type AttrValue = number | string | readonly number[] | readonly string[] | DecodedTensor | DecodedGraph;

export interface DecodedNode {
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: ReadonlyMap<string, AttrValue>;
}

export interface DecodedValueInfo {
  readonly name: string;
  readonly elemType: number;
  /** `undefined` for a value with no shape; a string dim is a `dim_param`, `undefined` an unknown dim. */
  readonly dims: readonly (number | string | undefined)[] | undefined;
}

export interface DecodedGraph {
  readonly name: string;
  readonly nodes: readonly DecodedNode[];
  readonly initializers: readonly DecodedTensor[];
  readonly inputs: readonly DecodedValueInfo[];
  readonly outputs: readonly DecodedValueInfo[];
}

export interface DecodedModel {
  /** The default ("" or "ai.onnx") domain's opset version; `undefined` when the file imports none. */
  readonly opset: number | undefined;
  readonly graph: DecodedGraph;
}

/** Thrown for bytes that are not a ModelProto this decoder reads. */
export class OnnxDecodeError extends Error {
  override readonly name = "OnnxDecodeError";
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

interface Field {
  readonly field: number;
  readonly wire: number;
  readonly int?: bigint;
  readonly bytes?: Uint8Array;
}

function* fields(bytes: Uint8Array): Generator<Field> {
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const b = bytes[at++];
      if (b === undefined) throw new OnnxDecodeError("truncated varint");
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asIntN(64, result);
    }
    throw new OnnxDecodeError("varint longer than 10 bytes");
  };
  const take = (n: number): Uint8Array => {
    if (n < 0 || at + n > bytes.length) throw new OnnxDecodeError("a field runs past the end of its message");
    const out = bytes.subarray(at, at + n);
    at += n;
    return out;
  };
  while (at < bytes.length) {
    const key = Number(varint());
    const field = key >>> 3;
    const wire = key & 7;
    if (wire === 0) yield { field, wire, int: varint() };
    else if (wire === 2) yield { field, wire, bytes: take(Number(varint())) };
    else if (wire === 1) yield { field, wire, bytes: take(8) };
    else if (wire === 5) yield { field, wire, bytes: take(4) };
    else throw new OnnxDecodeError(`field ${field} has unsupported wire type ${wire}`);
  }
}

const text = (b: Uint8Array | undefined): string => utf8.decode(b ?? new Uint8Array());

/** Varints of a packed field or of one unpacked occurrence. */
function ints(f: Field): number[] {
  if (f.wire === 0) return [Number(f.int)];
  const out: number[] = [];
  for (const g of fields(withKeys(f.bytes as Uint8Array))) out.push(Number(g.int));
  return out;
}

/** A packed varint run re-read as a message of field-1 varints (key byte 0x08 before each). */
function withKeys(packed: Uint8Array): Uint8Array {
  const out: number[] = [];
  let start = true;
  for (const b of packed) {
    if (start) out.push(0x08);
    out.push(b);
    start = b < 0x80;
  }
  return Uint8Array.from(out);
}

function floats(f: Field): number[] {
  const b = f.bytes as Uint8Array;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: number[] = [];
  for (let i = 0; i + 4 <= b.byteLength; i += 4) out.push(view.getFloat32(i, true));
  return out;
}

const FLOAT = 1;
const DOUBLE = 11;

function rawValues(dtype: number, raw: Uint8Array, name: string): Float32Array | number[] {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const read = (size: number, get: (at: number) => number): number[] =>
    Array.from({ length: raw.byteLength / size }, (_, i) => get(i * size));
  switch (dtype) {
    case FLOAT:
      return Float32Array.from(read(4, (at) => view.getFloat32(at, true)));
    case DOUBLE:
      return Float32Array.from(read(8, (at) => view.getFloat64(at, true)));
    case 6:
      return read(4, (at) => view.getInt32(at, true));
    case 7:
      return read(8, (at) => Number(view.getBigInt64(at, true)));
    case 2:
    case 9:
      return read(1, (at) => view.getUint8(at));
    case 3:
      return read(1, (at) => view.getInt8(at));
    default:
      throw new OnnxDecodeError(`tensor "${name}" has data type ${dtype}, which the importer does not read`);
  }
}

function decodeTensor(bytes: Uint8Array): DecodedTensor {
  let name = "";
  let dtype = 0;
  const dims: number[] = [];
  let raw: Uint8Array | undefined;
  const listed: number[] = [];
  let external = false;
  for (const f of fields(bytes)) {
    if (f.field === 1) dims.push(...ints(f));
    else if (f.field === 2) dtype = Number(f.int);
    else if (f.field === 4) listed.push(...(f.wire === 5 ? floats({ ...f }) : floats(f)));
    else if (f.field === 5 || f.field === 7) listed.push(...ints(f));
    else if (f.field === 8) name = text(f.bytes);
    else if (f.field === 9) raw = f.bytes;
    else if (f.field === 10) {
      const b = f.bytes as Uint8Array;
      const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
      for (let i = 0; i + 8 <= b.byteLength; i += 8) listed.push(v.getFloat64(i, true));
    } else if (f.field === 14 && Number(f.int) === 1) external = true;
  }
  if (external) throw new OnnxDecodeError(`tensor "${name}" keeps its data in an external file, which is not read`);
  const data =
    raw !== undefined
      ? rawValues(dtype, raw, name)
      : dtype === FLOAT || dtype === DOUBLE
        ? Float32Array.from(listed)
        : listed;
  const size = dims.reduce((a, b) => a * b, 1);
  if (data.length !== size) {
    throw new OnnxDecodeError(`tensor "${name}" has ${data.length} values for dims [${dims.join(", ")}] (${size})`);
  }
  return { name, dtype, dims, data };
}

function decodeValueInfo(bytes: Uint8Array): DecodedValueInfo {
  let name = "";
  let elemType = 0;
  let dims: (number | string | undefined)[] | undefined;
  for (const f of fields(bytes)) {
    if (f.field === 1) name = text(f.bytes);
    else if (f.field === 2) {
      for (const t of fields(f.bytes as Uint8Array)) {
        if (t.field !== 1) continue;
        for (const tensor of fields(t.bytes as Uint8Array)) {
          if (tensor.field === 1) elemType = Number(tensor.int);
          else if (tensor.field === 2) {
            dims = [];
            for (const shape of fields(tensor.bytes as Uint8Array)) {
              if (shape.field !== 1) continue;
              let dim: number | string | undefined;
              for (const d of fields(shape.bytes as Uint8Array)) {
                if (d.field === 1) dim = Number(d.int);
                else if (d.field === 2) dim = text(d.bytes);
              }
              dims.push(dim);
            }
          }
        }
      }
    }
  }
  return { name, elemType, dims };
}

function decodeAttribute(bytes: Uint8Array): [string, AttrValue] {
  let name = "";
  let type = 0;
  const parts: { [k: number]: AttrValue } = {};
  const list: number[] = [];
  const strings: string[] = [];
  for (const f of fields(bytes)) {
    if (f.field === 1) name = text(f.bytes);
    else if (f.field === 20) type = Number(f.int);
    else if (f.field === 2) parts[1] = floats(f)[0] as number;
    else if (f.field === 3) parts[2] = Number(f.int);
    else if (f.field === 4) parts[3] = text(f.bytes);
    else if (f.field === 5) parts[4] = decodeTensor(f.bytes as Uint8Array);
    else if (f.field === 6) parts[5] = decodeGraph(f.bytes as Uint8Array);
    else if (f.field === 7) list.push(...floats(f));
    else if (f.field === 8) list.push(...ints(f));
    else if (f.field === 9) strings.push(text(f.bytes));
  }
  // AttributeType: 1 FLOAT, 2 INT, 3 STRING, 4 TENSOR, 5 GRAPH, 6 FLOATS, 7 INTS, 8 STRINGS.
  if (type === 6 || type === 7) return [name, list];
  if (type === 8) return [name, strings];
  const value = parts[type];
  if (value === undefined) throw new OnnxDecodeError(`attribute "${name}" has type ${type}, which is not read`);
  return [name, value];
}

function decodeNode(bytes: Uint8Array): DecodedNode {
  const inputs: string[] = [];
  const outputs: string[] = [];
  let name = "";
  let opType = "";
  let domain = "";
  const attrs = new Map<string, AttrValue>();
  for (const f of fields(bytes)) {
    if (f.field === 1) inputs.push(text(f.bytes));
    else if (f.field === 2) outputs.push(text(f.bytes));
    else if (f.field === 3) name = text(f.bytes);
    else if (f.field === 4) opType = text(f.bytes);
    else if (f.field === 7) domain = text(f.bytes);
    else if (f.field === 5) {
      const [key, value] = decodeAttribute(f.bytes as Uint8Array);
      attrs.set(key, value);
    }
  }
  return { name, opType, domain, inputs, outputs, attrs };
}

function decodeGraph(bytes: Uint8Array): DecodedGraph {
  let name = "";
  const nodes: DecodedNode[] = [];
  const initializers: DecodedTensor[] = [];
  const inputs: DecodedValueInfo[] = [];
  const outputs: DecodedValueInfo[] = [];
  for (const f of fields(bytes)) {
    const b = f.bytes as Uint8Array;
    if (f.field === 1) nodes.push(decodeNode(b));
    else if (f.field === 2) name = text(b);
    else if (f.field === 5) initializers.push(decodeTensor(b));
    else if (f.field === 11) inputs.push(decodeValueInfo(b));
    else if (f.field === 12) outputs.push(decodeValueInfo(b));
  }
  return { name, nodes, initializers, inputs, outputs };
}

/**
 * Decodes a ModelProto.
 * @throws OnnxDecodeError when the bytes are not one (truncated, not protobuf, no graph, external data).
 */
export function decodeModel(bytes: Uint8Array): DecodedModel {
  let graph: DecodedGraph | undefined;
  let opset: number | undefined;
  try {
    for (const f of fields(bytes)) {
      if (f.field === 7) {
        if (graph !== undefined) throw new OnnxDecodeError("more than one graph (field 7)");
        graph = decodeGraph(f.bytes as Uint8Array);
      } else if (f.field === 8) {
        let domain = "";
        let version = 0;
        for (const g of fields(f.bytes as Uint8Array)) {
          if (g.field === 1) domain = text(g.bytes);
          else if (g.field === 2) version = Number(g.int);
        }
        if (domain === "" || domain === "ai.onnx") opset = version;
      }
    }
  } catch (err) {
    throw new OnnxDecodeError(`not an ONNX model: ${(err as Error).message}`);
  }
  if (graph === undefined) throw new OnnxDecodeError("not an ONNX model: no graph (field 7)");
  return { opset, graph };
}
