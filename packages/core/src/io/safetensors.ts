/**
 * The `.safetensors` format (https://huggingface.co/docs/safetensors): an 8-byte little-endian u64 header
 * length N, N bytes of UTF-8 JSON `{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__?: {..} }`,
 * then the raw little-endian tensor bytes, offsets relative to the end of the header.
 */
import { formatShape, type Tensor } from "../tensor/tensor.js";
import { SafetensorsError } from "./safetensors-error.js";

export { SafetensorsError, type SafetensorsErrorCode } from "./safetensors-error.js";

/** Headers longer than this are refused (the reference implementation's limit). */
export const MAX_HEADER_BYTES = 100_000_000;

/** The dtypes {@link decodeSafetensors} reads, with their sizes in bytes. All are converted to float32. */
const DTYPE_SIZES = { F32: 4, F64: 8, F16: 2, BF16: 2 } as const;
type Dtype = keyof typeof DTYPE_SIZES;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** A decoded file. */
export interface DecodedSafetensors {
  /** Every tensor as float32, in header order. */
  readonly tensors: Record<string, Tensor>;
  /** The `__metadata__` string map (empty when absent). */
  readonly metadata: Record<string, string>;
}

/**
 * Encodes float32 tensors as one `.safetensors` buffer (dtype F32, little-endian), tensors laid out in name
 * order, header padded with spaces to a multiple of 8 bytes.
 * @throws SafetensorsError `BAD_TENSOR` when a name is empty or `__metadata__`, a shape has a dim that is not a
 *   non-negative integer, or `data` is not a Float32Array of prod(shape) values; `BAD_METADATA` when a metadata
 *   value is not a string.
 */
export function encodeSafetensors(
  tensors: Readonly<Record<string, Tensor>>,
  metadata?: Record<string, string>,
): Uint8Array {
  const names = Object.keys(tensors).sort();
  const entries: string[] = [];
  if (metadata !== undefined) {
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== "string") {
        throw new SafetensorsError("BAD_METADATA", `metadata "${key}" must be a string, found ${typeof value}`);
      }
    }
    entries.push(`"__metadata__":${JSON.stringify(Object.fromEntries(Object.entries(metadata)))}`);
  }
  let offset = 0;
  for (const name of names) {
    const t = tensors[name]!;
    checkTensor(name, t);
    const end = offset + t.data.length * 4;
    entries.push(
      `${JSON.stringify(name)}:${JSON.stringify({ dtype: "F32", shape: t.shape, data_offsets: [offset, end] })}`,
    );
    offset = end;
  }
  const json = new TextEncoder().encode(`{${entries.join(",")}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength % 2 ** 32, true);
  view.setUint32(4, Math.floor(headerLength / 2 ** 32), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const name of names) {
    const data = tensors[name]!.data;
    if (LITTLE_ENDIAN) out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    else for (let i = 0; i < data.length; i++) view.setFloat32(at + 4 * i, data[i]!, true);
    at += data.byteLength;
  }
  return out;
}

function checkTensor(name: string, t: Tensor): void {
  if (name === "" || name === "__metadata__") {
    throw new SafetensorsError("BAD_TENSOR", `tensor name ${JSON.stringify(name)} is reserved or empty`, name);
  }
  if (!Array.isArray(t?.shape) || !t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new SafetensorsError(
      "BAD_TENSOR",
      `tensor "${name}" has shape ${Array.isArray(t?.shape) ? formatShape(t.shape) : String(t?.shape)}, expected non-negative integer dims`,
      name,
    );
  }
  const size = t.shape.reduce((a, b) => a * b, 1);
  if (!(t.data instanceof Float32Array) || t.data.length !== size) {
    const found = t.data instanceof Float32Array ? `${t.data.length} values` : "no Float32Array";
    throw new SafetensorsError(
      "BAD_TENSOR",
      `tensor "${name}" of shape ${formatShape(t.shape)} needs a Float32Array of ${size} values, found ${found}`,
      name,
    );
  }
}

interface Entry {
  readonly name: string;
  readonly dtype: Dtype;
  readonly shape: number[];
  readonly begin: number;
  readonly end: number;
}

/**
 * Decodes a `.safetensors` buffer. F32, F64, F16 and BF16 tensors are returned as float32 (F64 rounded to
 * nearest). Every field is checked, so a corrupt or hostile file gives a {@link SafetensorsError}, never another
 * exception.
 * @throws SafetensorsError with `code` TRUNCATED, HEADER_TOO_LARGE, BAD_HEADER_JSON, BAD_METADATA, BAD_ENTRY,
 *   BAD_DTYPE, SIZE_MISMATCH, OFFSETS_OUT_OF_RANGE, OFFSETS_OVERLAP, OFFSETS_GAP or TRAILING_DATA; the message
 *   names the tensor and what was expected vs found.
 */
export function decodeSafetensors(bytes: Uint8Array): DecodedSafetensors {
  if (!(bytes instanceof Uint8Array)) {
    throw new SafetensorsError("BAD_INPUT", `decodeSafetensors expects a Uint8Array, found ${describe(bytes)}`);
  }
  if (bytes.length < 8) {
    throw new SafetensorsError("TRUNCATED", `file has ${bytes.length} bytes, expected at least 8 (header length)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (headerLength > MAX_HEADER_BYTES) {
    throw new SafetensorsError(
      "HEADER_TOO_LARGE",
      `header length is ${headerLength} bytes, expected at most ${MAX_HEADER_BYTES}; is this a safetensors file?`,
    );
  }
  if (headerLength > bytes.length - 8) {
    throw new SafetensorsError(
      "TRUNCATED",
      `header length is ${headerLength} bytes but only ${bytes.length - 8} follow the length prefix; the file is truncated`,
    );
  }
  const header = parseHeader(bytes.subarray(8, 8 + headerLength));
  const metadata = readMetadata(header.__metadata__);
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const entries = Object.keys(header)
    .filter((name) => name !== "__metadata__")
    .map((name) => readEntry(name, header[name], dataLength));
  checkLayout(entries, dataLength);
  const tensors = Object.fromEntries(entries.map((e) => [e.name, readTensor(view, dataStart, e)]));
  return { tensors, metadata };
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object"
    ? (value.constructor?.name ?? "an object")
    : `${typeof value} ${JSON.stringify(value)}`;
}

function parseHeader(raw: Uint8Array): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(raw);
  } catch {
    throw new SafetensorsError("BAD_HEADER_JSON", `header (${raw.length} bytes) is not valid UTF-8`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new SafetensorsError(
      "BAD_HEADER_JSON",
      `header is not valid JSON (${e instanceof Error ? e.message : String(e)}); starts with ${JSON.stringify(text.slice(0, 40))}`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new SafetensorsError("BAD_HEADER_JSON", `header must be a JSON object, found ${describe(parsed)}`);
  }
  return parsed as Record<string, unknown>;
}

function readMetadata(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new SafetensorsError("BAD_METADATA", `__metadata__ must be an object of strings, found ${describe(value)}`);
  }
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== "string") {
      throw new SafetensorsError("BAD_METADATA", `__metadata__ "${key}" must be a string, found ${describe(v)}`);
    }
  }
  return Object.fromEntries(Object.entries(value as Record<string, string>));
}

const ENTRY_FIELDS = new Set(["dtype", "shape", "data_offsets"]);

function readEntry(name: string, value: unknown, dataLength: number): Entry {
  const bad = (what: string) => new SafetensorsError("BAD_ENTRY", `tensor "${name}": ${what}`, name);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw bad(`expected an object { dtype, shape, data_offsets }, found ${describe(value)}`);
  }
  const v = value as Record<string, unknown>;
  const extra = Object.keys(v).filter((k) => !ENTRY_FIELDS.has(k));
  if (extra.length > 0) throw bad(`unknown field(s) ${extra.join(", ")}; expected only dtype, shape, data_offsets`);
  const { dtype, shape, data_offsets: offsets } = v;
  if (typeof dtype !== "string") throw bad(`dtype must be a string, found ${describe(dtype)}`);
  if (!Object.hasOwn(DTYPE_SIZES, dtype)) {
    throw new SafetensorsError(
      "BAD_DTYPE",
      `tensor "${name}" has dtype ${JSON.stringify(dtype)}, expected one of ${Object.keys(DTYPE_SIZES).join(", ")} (converted to float32)`,
      name,
    );
  }
  const isCount = (d: unknown): d is number => typeof d === "number" && Number.isSafeInteger(d) && d >= 0;
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    throw bad(`shape must be an array of non-negative integers, found ${JSON.stringify(shape) ?? "nothing"}`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0]! > offsets[1]!) {
    throw bad(
      `data_offsets must be [begin, end] with 0 <= begin <= end, found ${JSON.stringify(offsets) ?? "nothing"}`,
    );
  }
  const [begin, end] = offsets as [number, number];
  if (end > dataLength) {
    throw new SafetensorsError(
      "OFFSETS_OUT_OF_RANGE",
      `tensor "${name}" data_offsets [${begin}, ${end}] end past the data section of ${dataLength} bytes`,
      name,
    );
  }
  const size = DTYPE_SIZES[dtype as Dtype];
  const expected = shape.reduce((a: number, b: number) => a * b, 1) * size;
  if (expected !== end - begin) {
    throw new SafetensorsError(
      "SIZE_MISMATCH",
      `tensor "${name}" (${dtype}, shape ${formatShape(shape)}) needs ${expected} bytes, found data_offsets [${begin}, ${end}] = ${end - begin} bytes`,
      name,
    );
  }
  return { name, dtype: dtype as Dtype, shape: [...shape], begin, end };
}

/** The byte ranges must tile the data section exactly: no overlap, no gap, nothing after the last one. */
function checkLayout(entries: readonly Entry[], dataLength: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let position = 0;
  let previous: Entry | undefined;
  for (const e of sorted) {
    if (e.begin < position) {
      throw new SafetensorsError(
        "OFFSETS_OVERLAP",
        `tensor "${e.name}" bytes [${e.begin}, ${e.end}] overlap tensor "${previous?.name}" bytes [${previous?.begin}, ${previous?.end}]`,
        e.name,
      );
    }
    if (e.begin > position) {
      throw new SafetensorsError(
        "OFFSETS_GAP",
        `tensor "${e.name}" starts at byte ${e.begin}, expected ${position} (unused bytes before it)`,
        e.name,
      );
    }
    position = e.end;
    previous = e;
  }
  if (position !== dataLength) {
    throw new SafetensorsError(
      "TRAILING_DATA",
      `tensors cover ${position} bytes of the data section, but it has ${dataLength}; ${dataLength - position} trailing bytes`,
    );
  }
}

function readTensor(view: DataView, dataStart: number, e: Entry): Tensor {
  const at = dataStart + e.begin;
  const n = (e.end - e.begin) / DTYPE_SIZES[e.dtype];
  if (e.dtype === "F32" && LITTLE_ENDIAN) {
    // One copy that also realigns: the tensor may start at any byte of the buffer.
    const start = view.byteOffset + at;
    return { shape: e.shape, data: new Float32Array(view.buffer.slice(start, start + 4 * n)) };
  }
  const data = new Float32Array(n);
  switch (e.dtype) {
    case "F32":
      for (let i = 0; i < n; i++) data[i] = view.getFloat32(at + 4 * i, true);
      break;
    case "F64":
      for (let i = 0; i < n; i++) data[i] = view.getFloat64(at + 8 * i, true);
      break;
    case "F16":
      for (let i = 0; i < n; i++) data[i] = halfToFloat(view.getUint16(at + 2 * i, true));
      break;
    case "BF16": {
      // bfloat16 is the top half of a float32: shifting the bits keeps NaN payloads and infinities.
      const bits = new Uint32Array(data.buffer);
      for (let i = 0; i < n; i++) bits[i] = view.getUint16(at + 2 * i, true) << 16;
      break;
    }
    default:
      e.dtype satisfies never;
  }
  return { shape: e.shape, data };
}

/** IEEE 754 binary16 → number (exact: every half is a float32). */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
