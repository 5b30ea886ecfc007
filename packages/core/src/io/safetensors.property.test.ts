import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Tensor } from "../tensor/tensor.js";
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from "./safetensors.js";

const name = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s !== "__metadata__");
const shape = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 });
const tensorArb: fc.Arbitrary<Tensor> = shape.chain((dims) => {
  const size = dims.reduce((a, b) => a * b, 1);
  return fc
    .array(fc.float(), { minLength: size, maxLength: size })
    .map((values) => ({ shape: dims, data: Float32Array.from(values) }));
});
const tensorsArb = fc.dictionary(name, tensorArb, { maxKeys: 5, noNullPrototype: true });
const metadataArb = fc.option(
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 16 }), { maxKeys: 3, noNullPrototype: true }),
  {
    nil: undefined,
  },
);

const bits = (t: Tensor) => Array.from(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));

/** Decoding either succeeds with self-consistent tensors or throws a SafetensorsError — nothing else. */
function decodesOrRefuses(bytes: Uint8Array): void {
  try {
    const { tensors, metadata } = decodeSafetensors(bytes);
    for (const t of Object.values(tensors)) {
      expect(t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)).toBe(true);
      expect(t.data).toBeInstanceOf(Float32Array);
      expect(t.data.length).toBe(t.shape.reduce((a, b) => a * b, 1));
    }
    for (const v of Object.values(metadata)) expect(typeof v).toBe("string");
  } catch (e) {
    if (!(e instanceof SafetensorsError)) throw e;
    expect(e.message.length).toBeGreaterThan(0);
  }
}

/** Splits a valid file into its parsed header and data section. */
function split(bytes: Uint8Array): { header: Record<string, unknown>; data: Uint8Array } {
  const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  return {
    header: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>,
    data: bytes.subarray(8 + n),
  };
}

function join(headerText: string, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const validFile = fc.tuple(tensorsArb, metadataArb).map(([t, m]) => encodeSafetensors(t, m));

describe("safetensors properties", () => {
  test("random valid tensors and metadata round-trip bit-exactly", () => {
    fc.assert(
      fc.property(tensorsArb, metadataArb, (tensors, metadata) => {
        const out = decodeSafetensors(encodeSafetensors(tensors, metadata));
        expect(out.metadata).toEqual(metadata ?? {});
        expect(Object.keys(out.tensors).sort()).toEqual(Object.keys(tensors).sort());
        for (const [key, t] of Object.entries(tensors)) {
          expect(out.tensors[key]!.shape).toEqual(t.shape);
          expect(bits(out.tensors[key]!)).toEqual(bits(t));
        }
      }),
      { numRuns: 200 },
    );
  });

  test("bit flips anywhere give a decode or a SafetensorsError", () => {
    fc.assert(
      fc.property(
        validFile,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 4 }),
        (file, flips) => {
          const bytes = file.slice();
          for (const [at, bit] of flips) bytes[at % bytes.length]! ^= 1 << bit;
          decodesOrRefuses(bytes);
        },
      ),
      { numRuns: 300 },
    );
  });

  test("truncation at any length gives a SafetensorsError", () => {
    fc.assert(
      fc.property(validFile, fc.nat(), (file, cut) => {
        // Every cut loses prefix, header or tensor bytes (the data section holds exactly the tensors).
        const truncated = file.slice(0, cut % file.length);
        expect(() => decodeSafetensors(truncated)).toThrow(SafetensorsError);
      }),
      { numRuns: 200 },
    );
  });

  test("random edits of the header JSON give a decode or a SafetensorsError", () => {
    const edit = fc.oneof(
      fc.record({
        kind: fc.constant("replaceField"),
        field: fc.constantFrom("dtype", "shape", "data_offsets"),
        value: fc.jsonValue(),
      }),
      fc.record({ kind: fc.constant("deleteField"), field: fc.constantFrom("dtype", "shape", "data_offsets") }),
      fc.record({ kind: fc.constant("replaceEntry"), value: fc.jsonValue() }),
      fc.record({ kind: fc.constant("addEntry"), key: fc.string({ maxLength: 6 }), value: fc.jsonValue() }),
      fc.record({ kind: fc.constant("metadata"), value: fc.jsonValue() }),
      fc.record({
        kind: fc.constant("nudgeOffset"),
        which: fc.integer({ min: 0, max: 1 }),
        by: fc.integer({ min: -9, max: 9 }),
      }),
      fc.record({
        kind: fc.constant("dtype"),
        value: fc.constantFrom("F32", "F64", "F16", "BF16", "I8", "U8", "BOOL", ""),
      }),
      fc.record({ kind: fc.constant("wholeHeader"), value: fc.jsonValue() }),
    );
    fc.assert(
      fc.property(validFile, edit, fc.nat(), (file, e, pick) => {
        const { header, data } = split(file);
        const names = Object.keys(header).filter((k) => k !== "__metadata__");
        const target = names.length > 0 ? names[pick % names.length]! : undefined;
        const entry = target === undefined ? undefined : (header[target] as Record<string, unknown>);
        let replacement: unknown = header;
        switch (e.kind) {
          case "replaceField":
            if (entry) entry[e.field] = e.value;
            break;
          case "deleteField":
            if (entry) delete entry[e.field];
            break;
          case "replaceEntry":
            if (target !== undefined) header[target] = e.value;
            break;
          case "addEntry":
            header[e.key] = e.value;
            break;
          case "metadata":
            header.__metadata__ = e.value;
            break;
          case "nudgeOffset":
            if (entry) (entry.data_offsets as number[])[e.which]! += e.by;
            break;
          case "dtype":
            if (entry) entry.dtype = e.value;
            break;
          case "wholeHeader":
            replacement = e.value;
            break;
        }
        decodesOrRefuses(join(JSON.stringify(replacement) ?? "", data));
      }),
      { numRuns: 400 },
    );
  });

  test("random bytes, and random bytes behind a plausible length prefix, give a decode or a SafetensorsError", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => decodesOrRefuses(bytes)),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat({ max: 64 }), (body, n) => {
        const bytes = new Uint8Array(8 + body.length);
        new DataView(bytes.buffer).setUint32(0, n, true);
        bytes.set(body, 8);
        decodesOrRefuses(bytes);
      }),
      { numRuns: 300 },
    );
  });
});
