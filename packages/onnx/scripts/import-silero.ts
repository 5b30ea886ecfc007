// The README's Silero example: the official Silero VAD ONNX file imported and streamed over a 16 kHz WAV in
// backend-js, with the file's own feeds (input [1, 576], state [2, 1, 128]) mapped by toImportedFeeds and its outputs
// (output [1, 1], stateN) by fromImportedResults. The model file is third-party: pass the path of your copy.
// Run from this folder:
//   npx tsx --conditions=@recurrent/source scripts/import-silero.ts [silero_vad_16k_op15.onnx] [audio.wav]
import { readFileSync } from "node:fs";
import { jsBackend } from "@recurrent/backend-js";
import type { Tensor } from "@recurrent/core";
import { fromImportedResults, importOnnx, toImportedFeeds } from "@recurrent/onnx";
import { readWav } from "@recurrent/speech";

const dir = "../../../shared/models/silero-vad";
const modelPath = process.argv[2] ?? `${dir}/silero_vad_16k_op15.onnx`;
const wav = readWav(readFileSync(process.argv[3] ?? `${dir}/test.wav`)); // 16 kHz mono

// 64 samples of context + 512 new ones per call; sr is folded at import.
const imported = importOnnx(readFileSync(modelPath), { dims: { sequence: 576 }, constants: { sr: 16000 } });
const exe = await jsBackend().compile(imported.model, imported.weights);
let state: Tensor = { shape: [2, 1, 128], data: new Float32Array(256) };
const input = new Float32Array(576);
const probabilities: number[] = [];
for (let at = 0; at + 512 <= wav.samples.length; at += 512) {
  input.copyWithin(0, 512); // the previous call's last 64 samples are this call's context
  input.set(wav.samples.subarray(at, at + 512), 64);
  const feeds = toImportedFeeds(imported.io, { input: { shape: [1, 576], data: input }, state });
  const { output, stateN } = fromImportedResults(imported.io, await exe.run(feeds));
  probabilities.push(output?.data[0] as number);
  state = stateN as Tensor;
}
const speech = probabilities.filter((p) => p > 0.5).length;
console.log(`${probabilities.length} chunks of 32 ms, ${speech} with speech probability > 0.5`);
await exe.dispose();
