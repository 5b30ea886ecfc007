/**
 * Speech in a WAV file with Silero VAD: load the official model file (the path you pass: `.onnx` or
 * `.safetensors`), stream the audio in 32 ms chunks on the pure TypeScript backend, print the speech segments.
 *   node --conditions=@recurrent/source --import tsx src/silero-detect.ts <model> <wav>
 * Defaults: ../shared/models/silero-vad/silero_vad_16k_op15.onnx and its test.wav, beside the repository.
 */
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { jsBackend } from "@recurrent/backend-js";
import { SileroVad, type SpeechSegment, sileroFromOnnx, sileroFromSafetensors } from "@recurrent/silero";
import { resample } from "@recurrent/speech";
import { readWavFile } from "@recurrent/speech/node";

/** Where the official files sit in this workspace (a sibling `shared/` folder of the repository). */
export const SILERO_DIR = new URL("../../../shared/models/silero-vad/", import.meta.url);

export async function sileroDetect(
  modelPath: string | URL = new URL("silero_vad_16k_op15.onnx", SILERO_DIR),
  wavPath: string | URL = new URL("test.wav", SILERO_DIR),
  log: (line: string) => void = console.log,
): Promise<SpeechSegment[]> {
  const bytes = new Uint8Array(await readFile(modelPath));
  const silero = String(modelPath).endsWith(".safetensors") ? sileroFromSafetensors(bytes) : sileroFromOnnx(bytes);
  const vad = await SileroVad.create(jsBackend(), silero);
  const wav = await readWavFile(wavPath);
  const samples = wav.sampleRate === 16000 ? wav.samples : resample(wav.samples, wav.sampleRate, 16000);
  const { probabilities, segments } = await vad.detect(samples, 16000);
  for (const s of segments) log(`speech ${(s.start / 16000).toFixed(2)} s – ${(s.end / 16000).toFixed(2)} s`);
  log(`${segments.length} segments in ${(samples.length / 16000).toFixed(1)} s (${probabilities.length} chunks)`);
  await vad.dispose();
  return segments;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await sileroDetect(process.argv[2], process.argv[3]);
}
