/**
 * Reads the signature of an ONNX file without onnxruntime: graph inputs and outputs (name, element type, dims),
 * which inputs have an initializer, and `metadata_props`. It decodes only those fields of the proto2 wire format
 * and skips everything else (nodes, weights), so `triton-config` works in an export-only install.
 */

/** One graph input or output. A string dim is a `dim_param`; `undefined` an unknown dim. */
export interface ValueSignature {
  readonly name: string;
  /** TensorProto.DataType (1 float, 6 int32, 7 int64, …); 0 when the value is not a tensor. */
  readonly elemType: number;
  readonly dims: readonly (number | string | undefined)[];
}

/** What {@link readOnnxSignature} returns. */
export interface OnnxSignature {
  readonly inputs: readonly ValueSignature[];
  readonly outputs: readonly ValueSignature[];
  /** Names of the graph's initializers (an input among them is overridable, hidden from onnxruntime-node). */
  readonly initializers: ReadonlySet<string>;
  readonly metadata: ReadonlyMap<string, string>;
}

/** The bytes are not an ONNX ModelProto this reader understands. */
export class OnnxReadError extends Error {
  override readonly name = "OnnxReadError";
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** A cursor over one message's bytes. */
class Fields {
  #at = 0;
  constructor(readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.#at >= this.bytes.length;
  }

  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const b = this.bytes[this.#at++];
      if (b === undefined) throw new OnnxReadError("truncated varint");
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asIntN(64, result);
    }
    throw new OnnxReadError("varint longer than 10 bytes");
  }

  /** The next field: its number, wire type and (for length-delimited fields) its bytes; others are skipped. */
  next(): { field: number; wire: number; value?: Uint8Array; int?: bigint } {
    const key = Number(this.varint());
    const field = key >>> 3;
    const wire = key & 7;
    if (wire === 0) return { field, wire, int: this.varint() };
    if (wire === 2) {
      const len = Number(this.varint());
      if (len < 0 || this.#at + len > this.bytes.length) throw new OnnxReadError(`field ${field} runs past the end`);
      const value = this.bytes.subarray(this.#at, this.#at + len);
      this.#at += len;
      return { field, wire, value };
    }
    if (wire === 1 || wire === 5) {
      this.#at += wire === 1 ? 8 : 4;
      if (this.#at > this.bytes.length) throw new OnnxReadError(`field ${field} runs past the end`);
      return { field, wire };
    }
    throw new OnnxReadError(`field ${field} has unsupported wire type ${wire}`);
  }
}

/** Calls `visit` for every field of a message. */
function each(bytes: Uint8Array, visit: (f: ReturnType<Fields["next"]>) => void): void {
  const fields = new Fields(bytes);
  while (!fields.done) visit(fields.next());
}

const text = (value: Uint8Array | undefined): string => decoder.decode(value ?? new Uint8Array());

function readDim(bytes: Uint8Array): number | string | undefined {
  let dim: number | string | undefined;
  each(bytes, (f) => {
    if (f.field === 1 && f.int !== undefined) dim = Number(f.int);
    else if (f.field === 2 && f.value !== undefined) dim = text(f.value);
  });
  return dim;
}

function readValueInfo(bytes: Uint8Array): ValueSignature {
  let name = "";
  let elemType = 0;
  const dims: (number | string | undefined)[] = [];
  each(bytes, (f) => {
    if (f.field === 1) name = text(f.value);
    // TypeProto.tensor_type (1) → { elem_type (1), shape (2) → dim (1) }
    else if (f.field === 2 && f.value !== undefined) {
      each(f.value, (t) => {
        if (t.field !== 1 || t.value === undefined) return;
        each(t.value, (tensor) => {
          if (tensor.field === 1 && tensor.int !== undefined) elemType = Number(tensor.int);
          else if (tensor.field === 2 && tensor.value !== undefined) {
            each(tensor.value, (shape) => {
              if (shape.field === 1 && shape.value !== undefined) dims.push(readDim(shape.value));
            });
          }
        });
      });
    }
  });
  return { name, elemType, dims };
}

/**
 * The signature of an ONNX ModelProto.
 * @throws OnnxReadError when the bytes are not a ModelProto with a graph (truncated, not protobuf, no graph).
 */
export function readOnnxSignature(bytes: Uint8Array): OnnxSignature {
  const inputs: ValueSignature[] = [];
  const outputs: ValueSignature[] = [];
  const initializers = new Set<string>();
  const metadata = new Map<string, string>();
  let graphs = 0;
  try {
    each(bytes, (f) => {
      if (f.field === 7 && f.value !== undefined) {
        graphs++;
        each(f.value, (g) => {
          if (g.value === undefined) return;
          if (g.field === 11) inputs.push(readValueInfo(g.value));
          else if (g.field === 12) outputs.push(readValueInfo(g.value));
          else if (g.field === 5) {
            each(g.value, (t) => {
              if (t.field === 8) initializers.add(text(t.value));
            });
          }
        });
      } else if (f.field === 14 && f.value !== undefined) {
        let key = "";
        let value = "";
        each(f.value, (e) => {
          if (e.field === 1) key = text(e.value);
          else if (e.field === 2) value = text(e.value);
        });
        metadata.set(key, value);
      }
    });
  } catch (err) {
    if (err instanceof OnnxReadError) throw new OnnxReadError(`not an ONNX model: ${err.message}`);
    throw new OnnxReadError(`not an ONNX model: ${(err as Error).message}`);
  }
  if (graphs !== 1) throw new OnnxReadError(`not an ONNX model: expected one graph (field 7), found ${graphs}`);
  return { inputs, outputs, initializers, metadata };
}
