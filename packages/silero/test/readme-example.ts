// The README's example, run by readme.test.ts (by hand: npx tsx --conditions=@recurrent/source test/readme-example.ts).
import { readFile } from "node:fs/promises";
import { jsBackend } from "@recurrent/backend-js";
import { readWavFile } from "@recurrent/speech/node";
import { exportSileroOnnx, SileroVad, sileroFromOnnx } from "../src/index.js";

const dir = process.env.SILERO_VAD_DIR ?? "../../../shared/models/silero-vad"; // your copy of the official files
const silero = sileroFromOnnx(new Uint8Array(await readFile(`${dir}/silero_vad_16k_op15.onnx`)));
const vad = await SileroVad.create(jsBackend(), silero);

// A whole file: one probability per 32 ms chunk, and speech segments (in samples at 16 kHz).
const wav = await readWavFile(`${dir}/test.wav`);
const { probabilities, segments } = await vad.detect(wav.samples, wav.sampleRate);
console.log(probabilities.length, segments.slice(0, 3)); // 1875 [{ start: 32, end: 32736 }, …]

// A live stream: 512 samples in, one probability out; context and LSTM state are carried.
vad.reset();
const p = await vad.process(wav.samples.subarray(0, 512));
console.log(p.toFixed(3));

// Back to ONNX with the official contract (input, state, sr → output, stateN): existing wrappers load it.
const onnx = exportSileroOnnx(silero.model, silero.weights);
console.log(`${onnx.length} bytes`);
