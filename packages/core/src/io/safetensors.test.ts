import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { tensor } from "../tensor/tensor.js";
import { decodeSafetensors, encodeSafetensors, MAX_HEADER_BYTES, SafetensorsError } from "./safetensors.js";

const fixture = (name: string) => new URL(`../../test-fixtures/${name}`, import.meta.url);
// Written by tooling/torch-export/make_reference_values.py with a hand-written Python encoder (numpy/torch dtypes).
const reference = JSON.parse(readFileSync(fixture("reference-values.json"), "utf8")) as {
  dtypes: {
    metadata: Record<string, string>;
    expected: Record<string, { shape: number[]; data: (number | string)[] }>;
  };
};
const special = (v: number | string) => (typeof v === "number" ? v : Number(v)); // "NaN", "Infinity", "-Infinity"

/** A file with a hand-written header (padded to 8 bytes) and data section. */
function rawFile(header: unknown, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(typeof header === "string" ? header : JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + data.length).fill(0x20, 8, 8 + padded);
  new DataView(out.buffer).setUint32(0, padded, true);
  out.set(json, 8);
  out.set(data, 8 + padded);
  return out;
}

function errorOf(fn: () => unknown): SafetensorsError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SafetensorsError) return e;
    throw new Error(`expected a SafetensorsError, got ${String(e)}`);
  }
  throw new Error("expected a SafetensorsError, nothing was thrown");
}

describe("encodeSafetensors", () => {
  test("writes the documented layout byte for byte", () => {
    const bytes = encodeSafetensors({ b: tensor([2], [1, -2]), a: tensor([1, 1], [0.5]) }, { "recurrent.format": "x" });
    const view = new DataView(bytes.buffer);
    const n = view.getUint32(0, true);
    expect(view.getUint32(4, true)).toBe(0);
    expect(n % 8).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(header.trimEnd()).toBe(
      '{"__metadata__":{"recurrent.format":"x"},' +
        '"a":{"dtype":"F32","shape":[1,1],"data_offsets":[0,4]},' +
        '"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}',
    );
    expect(header.length - header.trimEnd().length).toBeLessThan(8);
    // IEEE 754 little-endian: 0.5 = 0x3f000000, 1 = 0x3f800000, −2 = 0xc0000000.
    expect(Array.from(bytes.subarray(8 + n))).toEqual([0, 0, 0, 0x3f, 0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]);
  });

  test("round-trips tensors (scalar, empty, NaN, -0) and metadata", () => {
    const tensors = {
      scalar: tensor([], [3.25]),
      empty: tensor([0, 4]),
      odd: tensor([3], [Number.NaN, -0, Number.NEGATIVE_INFINITY]),
      ["__proto__"]: tensor([1], [7]), // computed key: an own property, not the prototype
    };
    const { tensors: out, metadata } = decodeSafetensors(encodeSafetensors(tensors, { k: "v", "": "empty key" }));
    expect(metadata).toEqual({ k: "v", "": "empty key" });
    expect(Object.keys(out).sort()).toEqual(["__proto__", "empty", "odd", "scalar"]);
    expect(out.scalar).toEqual({ shape: [], data: Float32Array.of(3.25) });
    expect(out.empty!.shape).toEqual([0, 4]);
    expect(Object.is(out.odd!.data[1], -0)).toBe(true);
    expect(out.odd!.data[0]).toBeNaN();
    expect(Object.getOwnPropertyDescriptor(out, "__proto__")?.value.data).toEqual(Float32Array.of(7));
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  test("without metadata there is no __metadata__ entry", () => {
    const bytes = encodeSafetensors({ x: tensor([1]) });
    expect(new TextDecoder().decode(bytes)).not.toContain("__metadata__");
    expect(decodeSafetensors(bytes).metadata).toEqual({});
  });

  test.each([
    ["an empty name", { "": tensor([1]) }, /reserved or empty/],
    ["the reserved name", { __metadata__: tensor([1]) }, /reserved or empty/],
    ["a negative dim", { x: { shape: [-1], data: new Float32Array(0) } }, /shape \[-1\]/],
    ["a fractional dim", { x: { shape: [1.5], data: new Float32Array(1) } }, /non-negative integer dims/],
    [
      "too little data",
      { x: { shape: [2, 2], data: new Float32Array(3) } },
      /needs a Float32Array of 4 values, found 3/,
    ],
    ["a Float64Array", { x: { shape: [1], data: new Float64Array(1) as unknown as Float32Array } }, /no Float32Array/],
  ])("refuses %s (BAD_TENSOR)", (_, tensors, message) => {
    const e = errorOf(() => encodeSafetensors(tensors));
    expect(e.code).toBe("BAD_TENSOR");
    expect(e.message).toMatch(message);
  });

  test("refuses non-string metadata (BAD_METADATA)", () => {
    const e = errorOf(() => encodeSafetensors({}, { n: 3 as unknown as string }));
    expect(e.code).toBe("BAD_METADATA");
    expect(e.message).toMatch(/"n" must be a string, found number/);
  });
});

describe("decodeSafetensors reads files it did not write", () => {
  test("F16, BF16, F64 and an unaligned F32 from numpy/torch convert to the expected float32", () => {
    const { tensors, metadata } = decodeSafetensors(new Uint8Array(readFileSync(fixture("dtypes.safetensors"))));
    expect(metadata).toEqual(reference.dtypes.metadata);
    expect(Object.keys(tensors).sort()).toEqual(Object.keys(reference.dtypes.expected).sort());
    for (const [name, want] of Object.entries(reference.dtypes.expected)) {
      expect(tensors[name]!.shape, name).toEqual(want.shape);
      expect(Array.from(tensors[name]!.data), name).toEqual(want.data.map(special).map(Math.fround));
    }
  });

  test("F16 NaN and BF16 NaN stay NaN", () => {
    const half = rawFile({ h: { dtype: "F16", shape: [1], data_offsets: [0, 2] } }, Uint8Array.of(0x00, 0x7e));
    expect(decodeSafetensors(half).tensors.h!.data[0]).toBeNaN();
    const brain = rawFile({ b: { dtype: "BF16", shape: [1], data_offsets: [0, 2] } }, Uint8Array.of(0xc0, 0x7f));
    expect(decodeSafetensors(brain).tensors.b!.data[0]).toBeNaN();
  });

  test("a buffer that is a view into a larger one at an odd offset decodes", () => {
    const bytes = encodeSafetensors({ x: tensor([3], [1, 2, 3]) });
    const big = new Uint8Array(bytes.length + 3);
    big.set(bytes, 1);
    expect(Array.from(decodeSafetensors(big.subarray(1, 1 + bytes.length)).tensors.x!.data)).toEqual([1, 2, 3]);
  });
});

describe("decodeSafetensors rejects malformed files with a SafetensorsError", () => {
  const f32 = (n: number) => new Uint8Array(4 * n);
  const entry = (dtype: string, shape: unknown, offsets: unknown) => ({ dtype, shape, data_offsets: offsets });
  const cases: [string, Uint8Array, string, RegExp][] = [
    ["an empty buffer", new Uint8Array(0), "TRUNCATED", /0 bytes, expected at least 8/],
    ["7 bytes", new Uint8Array(7), "TRUNCATED", /7 bytes/],
    [
      "a header longer than the file",
      rawFile({}).subarray(0, 12),
      "TRUNCATED",
      /header length is 8 bytes but only 4 follow/,
    ],
    [
      "a header over 100 MB",
      (() => {
        const b = new Uint8Array(16);
        new DataView(b.buffer).setUint32(0, MAX_HEADER_BYTES + 1, true);
        return b;
      })(),
      "HEADER_TOO_LARGE",
      /100000001 bytes, expected at most 100000000/,
    ],
    [
      "a header length above 2^32",
      Uint8Array.of(8, 0, 0, 0, 1, 0, 0, 0, ...new Array(8).fill(0x20)),
      "HEADER_TOO_LARGE",
      /4294967304 bytes/,
    ],
    [
      "invalid UTF-8",
      (() => {
        const b = rawFile("{}      ");
        b[9] = 0xff;
        return b;
      })(),
      "BAD_HEADER_JSON",
      /not valid UTF-8/,
    ],
    ["invalid JSON", rawFile('{"a": '), "BAD_HEADER_JSON", /not valid JSON/],
    ["a JSON array", rawFile("[]"), "BAD_HEADER_JSON", /must be a JSON object, found an array/],
    ["JSON null", rawFile("null"), "BAD_HEADER_JSON", /found null/],
    ["metadata that is a string", rawFile({ __metadata__: "x" }), "BAD_METADATA", /must be an object of strings/],
    ["a metadata number", rawFile({ __metadata__: { a: 1 } }), "BAD_METADATA", /"a" must be a string, found number/],
    ["an entry that is a number", rawFile({ w: 3 }), "BAD_ENTRY", /tensor "w": expected an object/],
    [
      "an entry without dtype",
      rawFile({ w: { shape: [1], data_offsets: [0, 4] } }, f32(1)),
      "BAD_ENTRY",
      /tensor "w": dtype must be a string/,
    ],
    [
      "an unknown dtype",
      rawFile({ w: entry("F128", [1], [0, 16]) }, f32(4)),
      "BAD_DTYPE",
      /tensor "w" has dtype "F128", expected one of F32, F64, F16, BF16/,
    ],
    ["an integer dtype", rawFile({ w: entry("I64", [1], [0, 8]) }, f32(2)), "BAD_DTYPE", /dtype "I64"/],
    [
      "a negative dim",
      rawFile({ w: entry("F32", [-1], [0, 0]) }),
      "BAD_ENTRY",
      /shape must be an array of non-negative integers, found \[-1\]/,
    ],
    ["a fractional dim", rawFile({ w: entry("F32", [0.5], [0, 0]) }), "BAD_ENTRY", /shape must be/],
    ["a string dim", rawFile({ w: entry("F32", ["2"], [0, 8]) }, f32(2)), "BAD_ENTRY", /shape must be/],
    ["a missing shape", rawFile({ w: { dtype: "F32", data_offsets: [0, 0] } }), "BAD_ENTRY", /found nothing/],
    [
      "three offsets",
      rawFile({ w: entry("F32", [1], [0, 4, 8]) }, f32(2)),
      "BAD_ENTRY",
      /data_offsets must be \[begin, end\]/,
    ],
    ["reversed offsets", rawFile({ w: entry("F32", [0], [4, 0]) }, f32(1)), "BAD_ENTRY", /found \[4,0\]/],
    [
      "an unknown field",
      rawFile({ w: { ...entry("F32", [1], [0, 4]), extra: 1 } }, f32(1)),
      "BAD_ENTRY",
      /unknown field\(s\) extra/,
    ],
    [
      "offsets past the end",
      rawFile({ w: entry("F32", [2], [0, 8]) }, f32(1)),
      "OFFSETS_OUT_OF_RANGE",
      /tensor "w" data_offsets \[0, 8\] end past the data section of 4 bytes/,
    ],
    [
      "a size mismatch",
      rawFile({ w: entry("F32", [3], [0, 8]) }, f32(2)),
      "SIZE_MISMATCH",
      /tensor "w" \(F32, shape \[3\]\) needs 12 bytes, found data_offsets \[0, 8\] = 8 bytes/,
    ],
    ["an F64 size mismatch", rawFile({ w: entry("F64", [2], [0, 8]) }, f32(2)), "SIZE_MISMATCH", /needs 16 bytes/],
    [
      "overlapping tensors",
      rawFile({ a: entry("F32", [2], [0, 8]), b: entry("F32", [2], [4, 12]) }, f32(3)),
      "OFFSETS_OVERLAP",
      /tensor "b" bytes \[4, 12\] overlap tensor "a" bytes \[0, 8\]/,
    ],
    [
      "a gap",
      rawFile({ a: entry("F32", [1], [4, 8]) }, f32(2)),
      "OFFSETS_GAP",
      /tensor "a" starts at byte 4, expected 0/,
    ],
    [
      "trailing bytes",
      rawFile({ a: entry("F32", [1], [0, 4]) }, f32(2)),
      "TRAILING_DATA",
      /cover 4 bytes of the data section, but it has 8; 4 trailing/,
    ],
    ["data but no tensors", rawFile({}, f32(1)), "TRAILING_DATA", /4 trailing bytes/],
  ];
  test.each(cases)("%s", (_, bytes, code, message) => {
    const e = errorOf(() => decodeSafetensors(bytes));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  test("names the tensor in the error's tensor field", () => {
    const e = errorOf(() => decodeSafetensors(rawFile({ lstm: entry("F32", [3], [0, 8]) }, f32(2))));
    expect(e.tensor).toBe("lstm");
  });

  test("refuses a non-Uint8Array (BAD_INPUT)", () => {
    expect(errorOf(() => decodeSafetensors(new ArrayBuffer(8) as unknown as Uint8Array)).code).toBe("BAD_INPUT");
  });

  test("accepts an empty file body {} and zero-size tensors that share an offset", () => {
    expect(decodeSafetensors(rawFile({})).tensors).toEqual({});
    const out = decodeSafetensors(
      rawFile({ a: entry("F32", [0], [0, 0]), b: entry("F16", [2, 0], [0, 0]), c: entry("F32", [1], [0, 4]) }, f32(1)),
    );
    expect(Object.keys(out.tensors)).toEqual(["a", "b", "c"]);
  });
});
