// The official Silero VAD file (MIT, third-party: read from ../shared/models/silero-vad/ beside the repository, or
// SILERO_VAD_DIR; never copied in) imported and streamed over test.wav in backend-js, against onnxruntime-node
// running the same file on the same feeds. Chunks follow the official wrapper (OnnxWrapper): 512 new samples at
// 16 kHz behind 64 samples of context (zeros before the first chunk, then the last 64 samples of the previous
// 576-sample input), the state [2, 1, 128] carried from stateN, sr = 16000.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { jsBackend } from "@recurrent/backend-js";
import type { Tensor } from "@recurrent/core";
import { readWav } from "@recurrent/speech";
import { InferenceSession, Tensor as OrtTensor } from "onnxruntime-node";
import { expect, test } from "vitest";
import { importOnnx } from "./importer.js";
import { fromImportedResults, toImportedFeeds } from "./io.js";

const DIR =
  process.env.SILERO_VAD_DIR ??
  join(import.meta.dirname, "..", "..", "..", "..", "..", "shared", "models", "silero-vad");
const MODEL = join(DIR, "silero_vad_16k_op15.onnx");
const WAV = join(DIR, "test.wav");
const present = existsSync(MODEL) && existsSync(WAV);
if (!present) console.log(`silero.test.ts skipped: ${MODEL} or ${WAV} is absent (set SILERO_VAD_DIR to its folder)`);

const CHUNK = 512;
const CONTEXT = 64;

test.skipIf(!present)(
  "Silero VAD imports into the IR: pad, STFT conv, magnitude, four convs, one LSTM step, head",
  () => {
    const { model, io } = importOnnx(readFileSync(MODEL), {
      dims: { sequence: CHUNK + CONTEXT },
      constants: { sr: 16000 },
    });
    const ops = model.nodes.map((n) => n.op);
    expect(ops.filter((op) => op === "conv1d")).toHaveLength(6);
    expect(ops.filter((op) => op === "rnn")).toHaveLength(1);
    for (const op of ["pad", "magnitude", "pool", "repeat"]) expect(ops).toContain(op);
    expect(io.inputs.map((b) => b.onnx)).toEqual(["input", "state"]);
    expect(io.outputs.map((b) => b.onnx)).toEqual(["output", "stateN"]);
    expect(io.constants).toEqual({ sr: [16000] });
  },
);

test.skipIf(!present)(
  "Silero VAD on test.wav, 512-sample chunks with 64 of context and the state carried: backend-js within 1e-4 of onnxruntime-node",
  async () => {
    const bytes = readFileSync(MODEL);
    const wav = readWav(readFileSync(WAV));
    expect(wav.sampleRate).toBe(16000);
    const imported = importOnnx(bytes, { dims: { sequence: CHUNK + CONTEXT }, constants: { sr: 16000 } });
    const exe = await jsBackend().compile(imported.model, imported.weights);
    const session = await InferenceSession.create(bytes);

    const chunks = Math.floor(wav.samples.length / CHUNK);
    let state: Tensor = { shape: [2, 1, 128], data: new Float32Array(256) };
    let ortState = new OrtTensor("float32", new Float32Array(256), [2, 1, 128]);
    const sr = new OrtTensor("int64", BigInt64Array.of(16000n), []);
    const input = new Float32Array(CHUNK + CONTEXT); // context (zeros at first) then the chunk
    let worst = 0;
    let worstState = 0;
    for (let c = 0; c < chunks; c++) {
      input.copyWithin(0, CHUNK); // the last 64 samples of the previous input become the context
      input.set(wav.samples.subarray(c * CHUNK, (c + 1) * CHUNK), CONTEXT);
      const feeds = toImportedFeeds(imported.io, { input: { shape: [1, CHUNK + CONTEXT], data: input }, state });
      const mine = fromImportedResults(imported.io, await exe.run(feeds));
      const ort = await session.run({
        input: new OrtTensor("float32", input.slice(), [1, CHUNK + CONTEXT]),
        state: ortState,
        sr,
      });
      const ortOut = ort.output as OrtTensor;
      const ortStateN = ort.stateN as OrtTensor;
      const p = mine.output?.data[0] as number;
      const q = (ortOut.data as Float32Array)[0] as number;
      worst = Math.max(worst, Math.abs(p - q));
      const ortN = ortStateN.data as Float32Array;
      for (let i = 0; i < ortN.length; i++)
        worstState = Math.max(worstState, Math.abs((mine.stateN?.data[i] as number) - (ortN[i] as number)));
      state = mine.stateN as Tensor;
      ortState = new OrtTensor("float32", ortN, [2, 1, 128]);
    }
    console.log(
      `Silero VAD on test.wav: ${chunks} chunks, max |p(backend-js) − p(onnxruntime)| ${worst.toExponential(2)}, max state diff ${worstState.toExponential(2)}`,
    );
    expect(chunks).toBeGreaterThan(10);
    expect(worst).toBeLessThanOrEqual(1e-4);
    await exe.dispose();
    await session.release();
  },
  120_000,
);
