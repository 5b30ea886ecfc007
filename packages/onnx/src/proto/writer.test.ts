// Expected bytes are the worked examples of the protobuf encoding guide (protobuf.dev/programming-guides/encoding)
// and two's-complement int64 varints written out by hand.
import { describe, expect, test } from "vitest";
import { ProtoWriter } from "./writer.js";

const bytesOf = (write: (w: ProtoWriter) => void): number[] => {
  const w = new ProtoWriter();
  write(w);
  return [...w.finish()];
};

describe("ProtoWriter", () => {
  test.each([
    [0, [0x00]],
    [1, [0x01]],
    [127, [0x7f]],
    [150, [0x96, 0x01]],
    [300, [0xac, 0x02]],
    [2 ** 31, [0x80, 0x80, 0x80, 0x80, 0x08]],
    [2 ** 35, [0x80, 0x80, 0x80, 0x80, 0x80, 0x01]],
  ])("varint %d", (value, expected) => {
    expect(bytesOf((w) => w.varint(value))).toEqual(expected);
  });

  test("negative int64 values are 10-byte two's complement varints", () => {
    expect(bytesOf((w) => w.varint(-1))).toEqual([...Array(9).fill(0xff), 0x01]);
    expect(bytesOf((w) => w.varint(-2))).toEqual([0xfe, ...Array(8).fill(0xff), 0x01]);
    expect(bytesOf((w) => w.varint(9223372036854775807n))).toEqual([...Array(8).fill(0xff), 0x7f]);
  });

  test("unsafe integers are refused", () => {
    expect(() => bytesOf((w) => w.varint(2 ** 60))).toThrow(RangeError);
    expect(() => bytesOf((w) => w.varint(0.5))).toThrow(/not a safe integer/);
  });

  test("the guide's examples: int, string, embedded message, packed", () => {
    expect(bytesOf((w) => w.int(1, 150))).toEqual([0x08, 0x96, 0x01]);
    expect(bytesOf((w) => w.string(2, "testing"))).toEqual([0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67]);
    expect(bytesOf((w) => w.message(3, (m) => m.int(1, 150)))).toEqual([0x1a, 0x03, 0x08, 0x96, 0x01]);
    expect(bytesOf((w) => w.packedInts(4, [3, 270, 86942]))).toEqual([0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05]);
  });

  test("floats are fixed32 little-endian; empty packed fields are omitted", () => {
    expect(bytesOf((w) => w.float(2, 1))).toEqual([0x15, 0x00, 0x00, 0x80, 0x3f]);
    expect(bytesOf((w) => w.packedFloats(7, [-2]))).toEqual([0x3a, 0x04, 0x00, 0x00, 0x00, 0xc0]);
    expect(bytesOf((w) => w.packedInts(8, []))).toEqual([]);
  });

  test("the buffer grows past its initial size", () => {
    const long = "x".repeat(1000);
    const bytes = bytesOf((w) => w.string(1, long));
    expect(bytes.slice(0, 3)).toEqual([0x0a, 0xe8, 0x07]);
    expect(bytes.length).toBe(1003);
  });
});
