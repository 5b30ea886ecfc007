import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import wavefile from "wavefile";
import { SpeechError } from "./errors.js";
import { readWav, writeWav } from "./wav.js";

/** Encodes with the independent `wavefile` library. */
function encode(channels: number[][], rate: number, depth: string): Uint8Array {
  const w = new wavefile.WaveFile();
  w.fromScratch(channels.length, rate, depth, channels.length === 1 ? channels[0]! : channels);
  return w.toBuffer();
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof SpeechError) return e.code;
    throw e;
  }
  return undefined;
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** A minimal WAV with a hand-built fmt chunk, for the malformed cases wavefile refuses to write. */
function handMade(
  fmt: number[],
  data: Uint8Array,
  opts: { riffSize?: number; dataSize?: number; dataFirst?: boolean } = {},
) {
  const fmtBytes = new Uint8Array(fmt.length * 2);
  const v = new DataView(fmtBytes.buffer);
  for (const [i, x] of fmt.entries()) v.setUint16(2 * i, x, true);
  const chunk = (id: string, body: Uint8Array, size = body.length) => {
    const out = new Uint8Array(8 + body.length);
    out.set(ascii(id));
    new DataView(out.buffer).setUint32(4, size, true);
    out.set(body, 8);
    return out;
  };
  const chunks = [chunk("fmt ", fmtBytes), chunk("data", data, opts.dataSize)];
  if (opts.dataFirst) chunks.reverse();
  const body = new Uint8Array(chunks.reduce((s, c) => s + c.length, 4));
  body.set(ascii("WAVE"));
  let at = 4;
  for (const c of chunks) {
    body.set(c, at);
    at += c.length;
  }
  return chunk("RIFF", body, opts.riffSize);
}
// fmt fields as uint16 words: tag, channels, rate lo, rate hi, byteRate lo, byteRate hi, blockAlign, bits
const fmt16 = (tag = 1, ch = 1, bits = 16, align = (ch * bits) / 8) => [tag, ch, 16000, 0, 0, 0, align, bits];

describe("readWav decodes what wavefile encodes", () => {
  const ints = [0, 1, -1, 1000, -1000, 12345, -23456];
  test.each([
    ["8", 8, 128, (v: number) => Math.max(-128, Math.min(127, Math.round(v / 256))) + 128, 128],
    ["16", 16, 32768, (v: number) => v, 32768],
    ["24", 24, 8388608, (v: number) => v * 256, 8388608],
    ["32", 32, 2147483648, (v: number) => v * 65536, 2147483648],
  ])("%s-bit PCM", (depth, bits, _full, toStored, scale) => {
    const stored = ints.map(toStored);
    const wav = readWav(encode([stored], 22050, depth));
    expect(wav).toMatchObject({ sampleRate: 22050, channels: 1, bitDepth: bits, encoding: "pcm" });
    const expected = stored.map((s) => (bits === 8 ? s - 128 : s) / scale);
    expect([...wav.samples]).toEqual(expected.map((x) => Math.fround(x)));
  });

  test.each([
    ["32f", 32],
    ["64", 64],
  ])("%s float", (depth, bits) => {
    const values = [0, 0.5, -0.25, 0.123, -1];
    const wav = readWav(encode([values], 8000, depth));
    expect(wav).toMatchObject({ sampleRate: 8000, bitDepth: bits, encoding: "float" });
    expect([...wav.samples]).toEqual(values.map((x) => Math.fround(x)));
  });

  test("stereo is averaged to mono", () => {
    const wav = readWav(
      encode(
        [
          [1000, -2000, 30000],
          [3000, 2000, -30000],
        ],
        44100,
        "16",
      ),
    );
    expect(wav.channels).toBe(2);
    expect([...wav.samples]).toEqual([2000 / 32768, 0, 0]);
  });

  test("WAVE_FORMAT_EXTENSIBLE with a PCM sub-format", () => {
    const ext = [
      0xfffe, 1, 16000, 0, 32000, 0, 2, 16, 22, 16, 0, 0, 0x0001, 0, 0, 0x0010, 0x0080, 0xaa00, 0x3800, 0x719b,
    ];
    const data = new Uint8Array([0x00, 0x40, 0x00, 0xc0]); // 16384, -16384
    const wav = readWav(handMade(ext, data));
    expect([...wav.samples]).toEqual([0.5, -0.5]);
  });

  test("unknown chunks before data are skipped, odd sizes padded", () => {
    const plain = encode([[1, 2, 3]], 16000, "16");
    // splice a 3-byte "LIST" chunk (+1 pad byte) after fmt
    const list = new Uint8Array([...ascii("LIST"), 3, 0, 0, 0, 7, 7, 7, 0]);
    const out = new Uint8Array(plain.length + list.length);
    out.set(plain.subarray(0, 36));
    out.set(list, 36);
    out.set(plain.subarray(36), 36 + list.length);
    new DataView(out.buffer).setUint32(4, out.length - 8, true);
    expect([...readWav(out).samples]).toEqual([1, 2, 3].map((v) => v / 32768));
  });

  test("writeWav round-trips through wavefile", () => {
    const samples = Float32Array.from([0, 0.5, -0.5, 0.99, -1]);
    const w = new wavefile.WaveFile();
    w.fromBuffer(writeWav(samples, 16000));
    expect(w.fmt).toMatchObject({ sampleRate: 16000, numChannels: 1, bitsPerSample: 16 });
    expect([...w.getSamples()]).toEqual([0, 16384, -16384, Math.round(0.99 * 32768), -32768]);
    expect([...readWav(writeWav(samples, 16000, { encoding: "float32" })).samples]).toEqual([...samples]);
  });
});

describe("a real recording", () => {
  test("agent-pass.wav: 16 kHz mono, samples as Python's wave module reads them", () => {
    const bytes = readFileSync(new URL("../data/audio/agent-pass.wav", import.meta.url));
    const wav = readWav(bytes);
    expect(wav).toMatchObject({ sampleRate: 16000, channels: 1, bitDepth: 16 });
    expect(wav.samples.length).toBe(52562);
    // first samples printed by numpy.frombuffer(wave.readframes(...), "<i2")
    const head = [0, -1, -1, 0, 0, -1, 0, 0, -1, -1, 0, 3, 1, -6, -3, -2];
    expect([...wav.samples.subarray(0, 16)]).toEqual(head.map((v) => v / 32768));
  });
});

describe("readWav errors", () => {
  const good = encode([[1, 2, 3, 4]], 16000, "16");
  test.each([
    ["empty", new Uint8Array(0)],
    ["an MP3 header", Uint8Array.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0, 0, 0])],
    ["a RIFF AVI", (() => Object.assign(good.slice(), { 8: 0x41, 9: 0x56, 10: 0x49, 11: 0x20 }))()],
  ])("WAV_NOT_RIFF: %s", (_n, bytes) => {
    expect(codeOf(() => readWav(bytes))).toBe("WAV_NOT_RIFF");
  });

  test("WAV_TRUNCATED: cut inside the data, inside the header, and a chunk past the end", () => {
    expect(codeOf(() => readWav(good.subarray(0, good.length - 2)))).toBe("WAV_TRUNCATED");
    expect(codeOf(() => readWav(good.subarray(0, 8)))).toBe("WAV_TRUNCATED");
    expect(codeOf(() => readWav(handMade(fmt16(), new Uint8Array(4), { dataSize: 400 })))).toBe("WAV_TRUNCATED");
    expect(() => readWav(good.subarray(0, 30), { name: "x.wav" })).toThrowError(
      /x\.wav.*declares \d+ bytes but the file has 30/,
    );
  });

  test.each([
    ["no data chunk", () => handMade(fmt16(), new Uint8Array(0)).subarray(0, 36)],
    ["data before fmt", () => handMade(fmt16(), new Uint8Array(4), { dataFirst: true })],
    ["block align inconsistent", () => handMade(fmt16(1, 2, 16, 2), new Uint8Array(4))],
    ["zero channels", () => handMade(fmt16(1, 0, 16, 0), new Uint8Array(4))],
    ["data not whole sample frames", () => handMade(fmt16(), new Uint8Array(3))],
    ["fmt chunk too small", () => handMade([1, 1, 16000, 0, 0, 0], new Uint8Array(4))],
  ])("WAV_MALFORMED: %s", (_n, make) => {
    let bytes = make();
    if (_n === "no data chunk") {
      bytes = bytes.slice();
      new DataView(bytes.buffer).setUint32(4, bytes.length - 8, true);
    }
    expect(codeOf(() => readWav(bytes))).toBe("WAV_MALFORMED");
  });

  test.each([
    ["A-law", () => handMade(fmt16(6, 1, 8), new Uint8Array(4))],
    ["12-bit PCM", () => handMade(fmt16(1, 1, 12, 2), new Uint8Array(4))],
    ["16-bit float", () => handMade(fmt16(3, 1, 16), new Uint8Array(4))],
    ["RIFX", () => Object.assign(good.slice(), { 3: 0x58 })],
  ])("WAV_UNSUPPORTED: %s", (_n, make) => {
    expect(codeOf(() => readWav(make()))).toBe("WAV_UNSUPPORTED");
  });

  test("messages name the file and give a hint", () => {
    expect(() => readWav(handMade(fmt16(6, 1, 8), new Uint8Array(4)), { name: "law.wav" })).toThrowError(
      /WAV_UNSUPPORTED: WAV file "law\.wav": format tag 6 .*hint: ffmpeg/,
    );
  });
});
