/**
 * A minimal protobuf (proto2 wire format) writer: varints, length-delimited fields, fixed32 floats and packed
 * repeated scalars. Only what ONNX's ModelProto needs; see the package README for why it is hand-written.
 */

const WIRE_VARINT = 0;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

const encoder = new TextEncoder();

/** Appends protobuf fields to a growable byte buffer. */
export class ProtoWriter {
  #buf = new Uint8Array(256);
  #len = 0;

  /** The bytes written so far (a view; do not keep it across further writes). */
  finish(): Uint8Array {
    return this.#buf.subarray(0, this.#len);
  }

  #reserve(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }

  #byte(b: number): void {
    this.#reserve(1);
    this.#buf[this.#len++] = b;
  }

  /**
   * A varint. Negative values are written as 64-bit two's complement (10 bytes), as int64 fields require.
   * @throws RangeError when `value` is not a safe integer.
   */
  varint(value: number | bigint): void {
    if (typeof value === "number") {
      if (!Number.isSafeInteger(value)) throw new RangeError(`protobuf varint: ${value} is not a safe integer`);
      if (value >= 0 && value < 2 ** 31) {
        let v = value;
        while (v > 0x7f) {
          this.#byte((v & 0x7f) | 0x80);
          v >>>= 7;
        }
        this.#byte(v);
        return;
      }
    }
    let v = BigInt.asUintN(64, BigInt(value));
    while (v > 0x7fn) {
      this.#byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.#byte(Number(v));
  }

  #tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  /** An integer field (int32 / int64 / enum / bool). */
  int(field: number, value: number | bigint): void {
    this.#tag(field, WIRE_VARINT);
    this.varint(value);
  }

  /** A float field (fixed32, little-endian IEEE-754). */
  float(field: number, value: number): void {
    this.#tag(field, WIRE_FIXED32);
    this.#reserve(4);
    new DataView(this.#buf.buffer, this.#buf.byteOffset).setFloat32(this.#len, value, true);
    this.#len += 4;
  }

  /** A bytes field. */
  bytes(field: number, value: Uint8Array): void {
    this.#tag(field, WIRE_LEN);
    this.varint(value.length);
    this.#reserve(value.length);
    this.#buf.set(value, this.#len);
    this.#len += value.length;
  }

  /** A string field (UTF-8). */
  string(field: number, value: string): void {
    this.bytes(field, encoder.encode(value));
  }

  /** An embedded message, written by `body` into a fresh writer. */
  message(field: number, body: (w: ProtoWriter) => void): void {
    const inner = new ProtoWriter();
    body(inner);
    this.bytes(field, inner.finish());
  }

  /** A packed repeated integer field (skipped when empty). */
  packedInts(field: number, values: readonly (number | bigint)[]): void {
    if (values.length === 0) return;
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    this.bytes(field, inner.finish());
  }

  /** A packed repeated float field (skipped when empty). */
  packedFloats(field: number, values: readonly number[]): void {
    if (values.length === 0) return;
    const raw = new Uint8Array(values.length * 4);
    const view = new DataView(raw.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i] as number, true);
    this.bytes(field, raw);
  }
}
