/**
 * Fine-tune Silero VAD on your own labelled recordings with the official recipe (frozen encoder; LSTM decoder
 * trained with full BPTT, Adam 5e-4, BCE with non-speech weight 0.5), measure the ROC-AUC on held-out recordings
 * before and after, and export the result with the original ONNX contract (input, state, sr → output, stateN).
 *   node --conditions=@recurrent/source --import tsx src/silero-finetune.ts [model] [folder of .wav + .phn] [out.onnx]
 * Defaults: the official .onnx file beside the repository, the 7 recordings of @recurrent/speech's corpus (2 held
 * out), and a temporary output file. The recordings are joined with pauses and mixed with white noise at −10 dB
 * SNR, the condition the stock model is weakest in.
 */
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { jsBackend } from "@recurrent/backend-js";
import type { Weights } from "@recurrent/core";
import {
  type AlignedAudio,
  clipsAuc,
  compileEncoder,
  exportSileroOnnx,
  fineTuneDecoder,
  noisyClips,
  SileroVad,
  sileroFromOnnx,
  sileroFromSafetensors,
} from "@recurrent/silero";
import { corpusAudio, readPhnFile, readWavFile } from "@recurrent/speech/node";
import * as ort from "onnxruntime-node";
import { SILERO_DIR } from "./silero-detect.js";

/** What the example measured. */
export interface FineTuneResult {
  readonly aucBefore: number;
  readonly aucAfter: number;
  /** Largest |onnxruntime − backend-js| probability over a held-out clip, for the exported file. */
  readonly onnxMaxDiff: number;
  readonly onnxPath: string;
}

/** `<name>.wav` + `<name>.phn` pairs of a folder (16 kHz, alignments in samples), or the embedded corpus. */
async function recordings(folder?: string): Promise<(AlignedAudio & { readonly name: string })[]> {
  const pairs =
    folder === undefined
      ? (await corpusAudio()).map((a) => ({ name: a.id, wav: a.wav, phn: a.phn }))
      : (await readdir(folder))
          .filter((f) => f.endsWith(".wav"))
          .sort()
          .map((f) => ({ name: f, wav: join(folder, f), phn: join(folder, f.replace(/\.wav$/, ".phn")) }));
  const out = [];
  for (const p of pairs) {
    const wav = await readWavFile(p.wav);
    if (wav.sampleRate !== 16000) throw new Error(`${p.name}: ${wav.sampleRate} Hz; resample to 16 kHz first`);
    out.push({ name: p.name, samples: wav.samples, segments: await readPhnFile(p.phn) });
  }
  return out;
}

export async function sileroFineTune(
  options: { model?: string | URL; folder?: string; out?: string; epochs?: number; log?: (line: string) => void } = {},
): Promise<FineTuneResult> {
  const log = options.log ?? console.log;
  const modelPath = options.model ?? new URL("silero_vad_16k_op15.onnx", SILERO_DIR);
  const bytes = new Uint8Array(await readFile(modelPath));
  const silero = String(modelPath).endsWith(".safetensors") ? sileroFromSafetensors(bytes) : sileroFromOnnx(bytes);
  const backend = jsBackend();

  // 1. Labelled clips: recordings joined with pauses, then noise; the last two recordings are held out.
  const all = await recordings(options.folder);
  const heldOutNames = all.slice(-2).map((r) => r.name);
  const encoder = await compileEncoder(backend, silero.weights);
  const clips = (group: AlignedAudio[], seeds: number[]) => noisyClips(encoder, group, seeds, { snrDb: -10 });
  const train = await clips(
    all.filter((r) => !heldOutNames.includes(r.name)),
    Array.from({ length: 16 }, (_, i) => 10 + i),
  );
  const heldOut = await clips(
    all.filter((r) => heldOutNames.includes(r.name)),
    [1000, 1001, 1002, 1003],
  );
  log(`${train.length} training clips, ${heldOut.length} held-out clips (${heldOutNames.join(", ")})`);

  // 2. ROC-AUC on the held-out clips, per 32 ms chunk (features + decoder = the streamed model).
  const auc = (weights: Weights) => clipsAuc(backend, weights, heldOut);
  const aucBefore = await auc(silero.weights);
  log(`held-out ROC-AUC before fine-tuning: ${aucBefore.toFixed(3)}`);

  // 3. The recipe: only the decoder trains.
  const { weights } = await fineTuneDecoder(backend, silero.weights, train, {
    epochs: options.epochs ?? 12,
    batchSize: 4,
    seed: 1,
    validation: heldOut,
    onEvent: (e) => {
      if (e.type === "epochEnd")
        log(`epoch ${e.epoch + 1}: train ${e.trainLoss.toFixed(4)}, held-out ${e.valLoss?.toFixed(4)}`);
    },
  });
  const aucAfter = await auc(weights);
  log(`held-out ROC-AUC after fine-tuning: ${aucAfter.toFixed(3)}`);

  // 4. Export with the original contract and check it in onnxruntime against backend-js.
  const onnxPath = options.out ?? join(await mkdtemp(join(tmpdir(), "silero-")), "silero_vad_finetuned.onnx");
  await writeFile(onnxPath, exportSileroOnnx(silero.model, weights));
  const session = await ort.InferenceSession.create(onnxPath);
  const vad = await SileroVad.create(backend, { model: silero.model, weights });
  const clip = heldOut[0]!.samples;
  const js = (await vad.detect(clip, 16000)).probabilities;
  let state = new ort.Tensor("float32", new Float32Array(256), [2, 1, 128]);
  const window = new Float32Array(576);
  let onnxMaxDiff = 0;
  for (let i = 0; i < js.length; i++) {
    window.copyWithin(0, 512); // the last 64 samples become the next call's context
    window.fill(0, 64);
    window.set(clip.subarray(i * 512, (i + 1) * 512), 64);
    const out = await session.run({
      input: new ort.Tensor("float32", window.slice(), [1, 576]),
      state,
      sr: new ort.Tensor("int64", BigInt64Array.of(16000n), []),
    });
    state = out.stateN as typeof state;
    onnxMaxDiff = Math.max(onnxMaxDiff, Math.abs((out.output!.data as Float32Array)[0]! - js[i]!));
  }
  log(`wrote ${onnxPath}; onnxruntime-node vs backend-js: max |difference| ${onnxMaxDiff.toExponential(2)}`);
  await Promise.all([vad.dispose(), encoder.dispose(), session.release()]);
  return { aucBefore, aucAfter, onnxMaxDiff, onnxPath };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [model, folder, out] = process.argv.slice(2);
  await sileroFineTune({
    ...(model ? { model } : {}),
    ...(folder ? { folder } : {}),
    ...(out ? { out } : {}),
  });
}
