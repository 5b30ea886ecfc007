/**
 * WAV (RIFF/WAVE) reading and writing. Reads PCM 8/16/24/32-bit integer and 32/64-bit float, plain or
 * WAVE_FORMAT_EXTENSIBLE, any channel count (mixed down to mono by averaging) and any sample rate.
 */
import { SpeechError } from "./errors.js";

/** A decoded WAV file, mixed down to mono. */
export interface WavAudio {
  /** Samples per second, as stored in the file (resample with `resample` if you need 16 kHz). */
  readonly sampleRate: number;
  /** Channel count in the file (the samples below are already mono). */
  readonly channels: number;
  /** Bits per stored sample: 8, 16, 24, 32 (int) or 32, 64 (float). */
  readonly bitDepth: number;
  readonly encoding: "pcm" | "float";
  /** `[N]` mono samples scaled to [-1, 1) (int formats divided by 2^(bits-1); 8-bit is unsigned around 128). */
  readonly samples: Float32Array;
}

/** Options that only affect error messages. */
export interface ReadWavOptions {
  /** A file name to put in error messages. */
  readonly name?: string;
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;

function fourcc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + 4));
}

/**
 * Decodes a WAV file.
 * @param bytes the whole file.
 * @returns mono samples in [-1, 1) and the file's format.
 * @throws SpeechError `WAV_NOT_RIFF` when the bytes are not a RIFF/WAVE file; `WAV_TRUNCATED` when the file
 *   ends before a chunk it declares; `WAV_MALFORMED` for missing/inconsistent `fmt ` or `data` chunks;
 *   `WAV_UNSUPPORTED` for compressed formats (A-law, ADPCM…), odd bit depths, RIFX or RF64.
 */
export function readWav(bytes: Uint8Array, options: ReadWavOptions = {}): WavAudio {
  const where = options.name === undefined ? "WAV input" : `WAV file "${options.name}"`;
  const head = bytes.length >= 4 ? fourcc(bytes, 0) : "";
  if (head === "RIFX" || head === "RF64") {
    throw new SpeechError(
      "WAV_UNSUPPORTED",
      `${where} is ${head} (${head === "RIFX" ? "big-endian" : "64-bit"} RIFF), only little-endian RIFF is read; hint: ffmpeg -i in.wav -c:a pcm_s16le out.wav`,
    );
  }
  if (head !== "RIFF") {
    throw new SpeechError(
      "WAV_NOT_RIFF",
      `${where} does not start with "RIFF" (found ${JSON.stringify(head)} in ${bytes.length} bytes); is it a WAV file?`,
    );
  }
  if (bytes.length < 12) {
    throw new SpeechError("WAV_TRUNCATED", `${where} has only ${bytes.length} bytes, a RIFF header needs 12`);
  }
  if (fourcc(bytes, 8) !== "WAVE") {
    throw new SpeechError(
      "WAV_NOT_RIFF",
      `${where} is a RIFF file of form ${JSON.stringify(fourcc(bytes, 8))}, expected "WAVE"`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const riffEnd = view.getUint32(4, true) + 8;
  if (riffEnd > bytes.length) {
    throw new SpeechError(
      "WAV_TRUNCATED",
      `${where}: the RIFF header declares ${riffEnd} bytes but the file has ${bytes.length}; it was cut short`,
    );
  }
  let fmt: Format | undefined;
  let data: Uint8Array | undefined;
  let pos = 12;
  while (pos + 8 <= riffEnd) {
    const id = fourcc(bytes, pos);
    const size = view.getUint32(pos + 4, true);
    const body = pos + 8;
    if (body + size > riffEnd) {
      throw new SpeechError(
        "WAV_TRUNCATED",
        `${where}: chunk "${id}" at byte ${pos} declares ${size} bytes but only ${riffEnd - body} remain`,
      );
    }
    if (id === "fmt ") fmt = parseFormat(view, body, size, where);
    else if (id === "data") {
      if (fmt === undefined) {
        throw new SpeechError("WAV_MALFORMED", `${where}: "data" chunk at byte ${pos} comes before any "fmt " chunk`);
      }
      data = bytes.subarray(body, body + size);
      break;
    }
    pos = body + size + (size % 2); // chunks are padded to an even size
  }
  if (fmt === undefined) throw new SpeechError("WAV_MALFORMED", `${where} has no "fmt " chunk`);
  if (data === undefined) throw new SpeechError("WAV_MALFORMED", `${where} has no "data" chunk`);
  if (data.length % fmt.blockAlign !== 0) {
    throw new SpeechError(
      "WAV_MALFORMED",
      `${where}: "data" chunk has ${data.length} bytes, not a multiple of the ${fmt.blockAlign}-byte sample frame`,
    );
  }
  return {
    sampleRate: fmt.sampleRate,
    channels: fmt.channels,
    bitDepth: fmt.bits,
    encoding: fmt.encoding,
    samples: decodeMono(data, fmt),
  };
}

interface Format {
  readonly encoding: "pcm" | "float";
  readonly channels: number;
  readonly sampleRate: number;
  readonly bits: number;
  readonly blockAlign: number;
}

function parseFormat(view: DataView, at: number, size: number, where: string): Format {
  if (size < 16) throw new SpeechError("WAV_MALFORMED", `${where}: "fmt " chunk has ${size} bytes, needs at least 16`);
  let tag = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const blockAlign = view.getUint16(at + 12, true);
  const bits = view.getUint16(at + 14, true);
  if (tag === FORMAT_EXTENSIBLE) {
    if (size < 40) {
      throw new SpeechError(
        "WAV_MALFORMED",
        `${where}: WAVE_FORMAT_EXTENSIBLE "fmt " chunk has ${size} bytes, needs 40`,
      );
    }
    tag = view.getUint16(at + 24, true); // first two bytes of the sub-format GUID
  }
  const encoding = tag === FORMAT_PCM ? "pcm" : tag === FORMAT_FLOAT ? "float" : undefined;
  if (encoding === undefined) {
    throw new SpeechError(
      "WAV_UNSUPPORTED",
      `${where}: format tag ${tag} is compressed or unknown, expected 1 (PCM) or 3 (float); hint: ffmpeg -i in.wav -c:a pcm_s16le out.wav`,
    );
  }
  const okBits = encoding === "pcm" ? [8, 16, 24, 32] : [32, 64];
  if (!okBits.includes(bits)) {
    throw new SpeechError(
      "WAV_UNSUPPORTED",
      `${where}: ${bits}-bit ${encoding} samples are not supported, expected ${okBits.join("/")} bits`,
    );
  }
  if (channels === 0 || sampleRate === 0) {
    throw new SpeechError("WAV_MALFORMED", `${where}: "fmt " declares ${channels} channels at ${sampleRate} Hz`);
  }
  if (blockAlign !== (channels * bits) / 8) {
    throw new SpeechError(
      "WAV_MALFORMED",
      `${where}: block align is ${blockAlign} bytes, expected ${(channels * bits) / 8} (= ${channels} channels × ${bits} bits / 8)`,
    );
  }
  return { encoding, channels, sampleRate, bits, blockAlign };
}

function decodeMono(data: Uint8Array, fmt: Format): Float32Array {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const n = data.length / fmt.blockAlign;
  const width = fmt.bits / 8;
  const read = sampleReader(view, fmt);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let c = 0; c < fmt.channels; c++) sum += read(i * fmt.blockAlign + c * width);
    out[i] = sum / fmt.channels;
  }
  return out;
}

function sampleReader(view: DataView, fmt: Format): (at: number) => number {
  if (fmt.encoding === "float") {
    return fmt.bits === 32 ? (at) => view.getFloat32(at, true) : (at) => view.getFloat64(at, true);
  }
  switch (fmt.bits) {
    case 8:
      return (at) => (view.getUint8(at) - 128) / 128;
    case 16:
      return (at) => view.getInt16(at, true) / 32768;
    case 24:
      return (at) => {
        const v = view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16);
        return v / 8388608;
      };
    default:
      return (at) => view.getInt32(at, true) / 2147483648;
  }
}

/**
 * Encodes mono samples as a 16-bit PCM (default) or 32-bit float WAV file.
 * @param samples `[N]` in [-1, 1]; 16-bit output rounds and clips to the int16 range.
 * @throws SpeechError `WAV_MALFORMED` when `sampleRate` is not a positive integer.
 */
export function writeWav(
  samples: Float32Array,
  sampleRate: number,
  options: { readonly encoding?: "pcm16" | "float32" } = {},
): Uint8Array {
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) {
    throw new SpeechError("WAV_MALFORMED", `writeWav: sample rate must be a positive integer, got ${sampleRate}`);
  }
  const float = options.encoding === "float32";
  const width = float ? 4 : 2;
  const dataBytes = samples.length * width;
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  const ascii = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  ascii(0, "RIFF");
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, float ? FORMAT_FLOAT : FORMAT_PCM, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * width, true);
  view.setUint16(32, width, true);
  view.setUint16(34, width * 8, true);
  ascii(36, "data");
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    if (float) view.setFloat32(44 + 4 * i, s, true);
    else view.setInt16(44 + 2 * i, Math.max(-32768, Math.min(32767, Math.round(s * 32768))), true);
  }
  return out;
}
