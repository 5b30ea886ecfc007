import { describe, expect, test } from "vitest";
import { fixture } from "../test/helpers.js";
import { decodeFloat16, encodeFloat16, float16Bits } from "./float16.js";

describe("binary16", () => {
  const ref = fixture<{ values: number[]; bits: number[] }>("float16.json");

  test("encoding matches numpy's float32 → float16 rounding (incl. ties, subnormals, overflow)", () => {
    const got = ref.values.map((v) => float16Bits(Math.fround(v)));
    expect(got).toEqual(ref.bits);
  });

  test("decoding gives the IEEE values: 1, −2, 65504, 2^−24, ∞", () => {
    const bytes = Uint8Array.from([0x00, 0x3c, 0x00, 0xc0, 0xff, 0x7b, 0x01, 0x00, 0x00, 0x7c]);
    expect([...decodeFloat16(bytes)]).toEqual([1, -2, 65504, 2 ** -24, Number.POSITIVE_INFINITY]);
  });

  test("decode(encode(x)) is within half an ulp of binary16", () => {
    const values = Float32Array.from(ref.values.filter((v) => Math.abs(v) < 65504 && Math.abs(v) > 2 ** -14));
    const back = decodeFloat16(encodeFloat16(values));
    for (const [i, v] of values.entries()) expect(Math.abs(back[i]! - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11);
    expect(() => decodeFloat16(new Uint8Array(3))).toThrowError(RangeError);
  });
});
