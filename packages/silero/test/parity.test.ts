/**
 * Silero VAD on test.wav, every 32 ms chunk with the state carried: the IR model on backend-js and backend-tfjs
 * (cpu) against onnxruntime-node running the official ONNX file (≤ 1e-4), and the safetensors path against an
 * independent float64 loop (≤ 1e-5). Skipped, with the reason printed, when ../shared/models/silero-vad/ is absent.
 */
import { jsBackend } from "@recurrent/backend-js";
import { tfjsBackend } from "@recurrent/backend-tfjs";
import { type Backend, decodeSafetensors } from "@recurrent/core";
import { readWav } from "@recurrent/speech";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHUNK_SAMPLES, SileroVad, sileroFromOnnx, sileroFromSafetensors, WINDOW_SAMPLES } from "../src/index.js";
import { bytesOf, ONNX, SAFETENSORS, SKIP_REASON, TEST_WAV } from "./files.js";
import { ortProbabilities, ortSession } from "./ort-reference.js";
import { referenceCall } from "./reference.js";

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe.skipIf(SKIP_REASON !== undefined)("Silero VAD on test.wav", () => {
  let samples: Float32Array;
  let reference: Float32Array;
  beforeAll(async () => {
    samples = readWav(bytesOf(TEST_WAV)).samples;
    reference = await ortProbabilities(await ortSession(bytesOf(ONNX)), samples);
  });

  const backends: [string, () => Backend][] = [
    ["js", () => jsBackend()],
    ["tfjs cpu", () => tfjsBackend({ backend: "cpu" })],
  ];
  it.each(backends)(
    "%s: every chunk's probability within 1e-4 of onnxruntime on the official file",
    async (name, make) => {
      const silero = sileroFromOnnx(bytesOf(ONNX));
      const vad = await SileroVad.create(make(), silero);
      const { probabilities, segments } = await vad.detect(samples, 16000);
      await vad.dispose();
      const diff = maxDiff(probabilities, reference);
      console.log(
        `[silero parity] ${name}: ${probabilities.length} chunks, max |p − p_ort| = ${diff.toExponential(2)}`,
      );
      expect(diff).toBeLessThanOrEqual(1e-4);
      expect(segments.length).toBeGreaterThan(0);
    },
    120_000,
  );

  it("the safetensors path equals an independent float64 forward pass (1e-5 over 64 chunks)", async () => {
    const silero = sileroFromSafetensors(bytesOf(SAFETENSORS));
    const vad = await SileroVad.create(jsBackend(), silero);
    const { tensors } = decodeSafetensors(bytesOf(SAFETENSORS));
    let h: Float64Array = new Float64Array(128);
    let c: Float64Array = new Float64Array(128);
    const window = new Float32Array(WINDOW_SAMPLES);
    let diff = 0;
    for (let i = 0; i < 64; i++) {
      const chunk = samples.slice(i * CHUNK_SAMPLES, (i + 1) * CHUNK_SAMPLES);
      window.copyWithin(0, CHUNK_SAMPLES);
      window.set(chunk, WINDOW_SAMPLES - CHUNK_SAMPLES);
      const ref = referenceCall(tensors, window, h, c);
      ({ h, c } = ref);
      diff = Math.max(diff, Math.abs((await vad.process(chunk)) - ref.p));
    }
    console.log(`[silero parity] safetensors weights, js vs float64 loop: max diff ${diff.toExponential(2)}`);
    expect(diff).toBeLessThanOrEqual(1e-5);
    await vad.dispose();
  });
});

describe.skipIf(SKIP_REASON !== undefined)("SileroVad streaming", () => {
  let vad: SileroVad;
  beforeAll(async () => {
    vad = await SileroVad.create(jsBackend(), sileroFromSafetensors(bytesOf(SAFETENSORS)));
  });
  afterAll(async () => vad.dispose());

  it("carries context and state; reset() starts over", async () => {
    const samples = readWav(bytesOf(TEST_WAV)).samples;
    const chunks = [0, 1, 2, 3].map((i) => samples.slice(i * CHUNK_SAMPLES, (i + 1) * CHUNK_SAMPLES));
    vad.reset();
    const first: number[] = [];
    for (const chunk of chunks) first.push(await vad.process(chunk));
    expect(vad.state.shape).toEqual([2, 1, 128]);
    vad.reset();
    expect(vad.state.data.every((v) => v === 0)).toBe(true);
    const again: number[] = [];
    for (const chunk of chunks) again.push(await vad.process(chunk));
    expect(again).toEqual(first);
    // Without the carried state and context, chunk 3 alone reads differently.
    vad.reset();
    expect(await vad.process(chunks[3]!)).not.toBe(first[3]);
  });

  it("refuses 8 kHz audio and chunks that are not 512 samples, naming both numbers", async () => {
    await expect(vad.detect(new Float32Array(8000), 8000)).rejects.toThrow(
      /BAD_SAMPLE_RATE: the 16 kHz Silero VAD model reads 16000 Hz audio, got 8000 Hz/,
    );
    await expect(vad.process(new Float32Array(256))).rejects.toThrow(
      /BAD_CHUNK: SileroVad.process reads chunks of 512 samples \(32 ms at 16 kHz\), got 256/,
    );
  });
});
