/**
 * IEEE 754 binary16 ⇄ float32, for the corpus's compact feature file (Node 20 has no Float16Array).
 */

let decodeTable: Float32Array | undefined;

function decodeBits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * Decodes little-endian binary16 values.
 * @param bytes `[2·N]` bytes (any byte offset).
 * @returns `[N]` float32 values (exact: every binary16 is a float32).
 * @throws RangeError when the byte count is odd.
 */
export function decodeFloat16(bytes: Uint8Array): Float32Array {
  if (bytes.length % 2 !== 0)
    throw new RangeError(`decodeFloat16: ${bytes.length} bytes is not a whole number of halves`);
  if (decodeTable === undefined) {
    decodeTable = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) decodeTable[h] = decodeBits(h);
  }
  const table = decodeTable;
  const out = new Float32Array(bytes.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = table[bytes[2 * i]! | (bytes[2 * i + 1]! << 8)]!;
  return out;
}

/** One value to binary16 bits, rounding to nearest, ties to even; overflow → ±∞, NaN → 0x7e00. */
export function float16Bits(value: number): number {
  if (Number.isNaN(value)) return 0x7e00;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const a = Math.abs(value);
  if (a >= 65520) return sign | 0x7c00; // 65520 rounds up past the largest half, 65504
  if (a < 2 ** -14) {
    // subnormal: units of 2^-24, rounded half to even
    return sign | roundHalfEven(a * 2 ** 24);
  }
  let exp = Math.floor(Math.log2(a));
  if (2 ** exp > a) exp--; // guard log2 rounding
  if (2 ** (exp + 1) <= a) exp++;
  const mant = roundHalfEven((a / 2 ** exp - 1) * 1024);
  // mantissa rounding up to 1024 carries into the exponent, which the bit layout does by itself
  return sign | (((exp + 15) << 10) + mant);
}

function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const r = x - f;
  if (r > 0.5) return f + 1;
  if (r < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * Encodes values as little-endian binary16 (round to nearest even).
 * @returns `[2·N]` bytes.
 */
export function encodeFloat16(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  for (let i = 0; i < values.length; i++) {
    const h = float16Bits(values[i]!);
    out[2 * i] = h & 0xff;
    out[2 * i + 1] = h >> 8;
  }
  return out;
}
