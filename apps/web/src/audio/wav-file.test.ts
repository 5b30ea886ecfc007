import { writeWav } from "@recurrent/speech";
import { describe, expect, test } from "vitest";
import { decodeWavFile, formatDuration, MAX_WAV_BYTES } from "./wav-file.js";

const file = (name: string, bytes: Uint8Array) => new File([bytes as Uint8Array<ArrayBuffer>], name);

describe("decodeWavFile", () => {
  test("describes a 44.1 kHz stereo float file it will resample and mix down", async () => {
    // 0.5 s of stereo float32: writeWav writes mono, so set the channel fields by hand (interleaved L, R).
    const mono = writeWav(new Float32Array(44100), 44100, { encoding: "float32" });
    const view = new DataView(mono.buffer);
    view.setUint16(22, 2, true);
    view.setUint32(28, 44100 * 8, true);
    view.setUint16(32, 8, true);
    const { audio, description } = await decodeWavFile(file("two.wav", mono));
    expect(audio.channels).toBe(2);
    expect(audio.samples.length).toBe(22050);
    expect(description).toBe("two.wav: 32-bit float, 44100 Hz resampled to 16 kHz, 2 channels mixed to mono, 0.5 s");
  });

  test("refuses a file over the size limit before reading it, naming both sizes", async () => {
    // One hour of 16 kHz 16-bit mono: 44 header bytes + 3600 · 16000 · 2 (never read: arrayBuffer would throw).
    const size = 44 + 3600 * 16000 * 2;
    expect(size).toBeGreaterThan(MAX_WAV_BYTES);
    const hour = { name: "hour.wav", size, arrayBuffer: () => Promise.reject(new Error("read")) };
    await expect(decodeWavFile(hour as unknown as File)).rejects.toThrow(
      '"hour.wav" is 110 MiB; this page reads WAV files up to 64 MiB. Cut a shorter piece',
    );
  });

  test("names the file and readWav's reason for bytes that are not a WAV file", async () => {
    await expect(decodeWavFile(file("notes.wav", new TextEncoder().encode("hello")))).rejects.toThrow(
      'Cannot read "notes.wav": WAV_NOT_RIFF: WAV file "notes.wav" does not start with "RIFF"',
    );
  });

  test("refuses a sample rate the resampler cannot reach 16 kHz from, and an empty file", async () => {
    await expect(decodeWavFile(file("slow.wav", writeWav(new Float32Array(10), 100)))).rejects.toThrow(
      '"slow.wav" declares 100 Hz; the page resamples integer rates within 64× of 16 kHz',
    );
    await expect(decodeWavFile(file("empty.wav", writeWav(new Float32Array(0), 16000)))).rejects.toThrow(
      '"empty.wav" holds no samples.',
    );
  });

  test("formats durations", () => {
    expect(formatDuration(3.21)).toBe("3.2 s");
    expect(formatDuration(245)).toBe("4 min 05 s");
  });
});
