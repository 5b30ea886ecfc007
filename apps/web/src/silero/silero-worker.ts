/**
 * The Silero VAD fine-tuning worker: the official recipe (frozen encoder, LSTM decoder trained with full BPTT, Adam
 * 5e-4, BCE with non-speech weight 0.5) on the corpus's aligned recordings joined with pauses and mixed with
 * white noise at −10 dB, off the page's thread. Posts the held-out ROC-AUC before and after, every epoch's losses,
 * and the fine-tuned model as an ONNX file with the original contract.
 */
import {
  clipsAuc,
  compileEncoder,
  exportSileroOnnx,
  fineTuneDecoder,
  noisyClips,
  sileroFromOnnx,
  sileroFromSafetensors,
} from "@recurrent/silero";
import { parsePhn, readWav } from "@recurrent/speech";
import { createBackend } from "../backends.js";
import type { FromSileroWorker, RecordingUrls, ToSileroWorker } from "./protocol.js";

const post = (message: FromSileroWorker, transfer: Transferable[] = []) => postMessage(message, { transfer });

async function fetchRecording(r: RecordingUrls) {
  const [wav, phn] = await Promise.all([fetch(r.wav), fetch(r.phn)]);
  if (!wav.ok || !phn.ok)
    throw new Error(`${r.name}: could not fetch its WAV or .phn (HTTP ${wav.status}/${phn.status})`);
  const audio = readWav(new Uint8Array(await wav.arrayBuffer()), { name: r.name });
  if (audio.sampleRate !== 16000) throw new Error(`${r.name}: ${audio.sampleRate} Hz, expected 16 kHz`);
  return { name: r.name, samples: audio.samples, segments: parsePhn(await phn.text(), `${r.name}.phn`) };
}

async function finetune(msg: ToSileroWorker): Promise<void> {
  post({ type: "status", text: `reading ${msg.modelName}…` });
  const silero = msg.modelName.endsWith(".safetensors") ? sileroFromSafetensors(msg.model) : sileroFromOnnx(msg.model);
  const backend = await createBackend(msg.backend);
  post({ type: "status", text: "reading the recordings and computing the frozen encoder's features…" });
  const recordings = await Promise.all(msg.recordings.map(fetchRecording));
  const heldOutRecordings = recordings.slice(-2);
  const encoder = await compileEncoder(backend, silero.weights);
  const noise = { snrDb: -10 };
  const train = await noisyClips(
    encoder,
    recordings.slice(0, -2),
    Array.from({ length: 16 }, (_, i) => 10 + i),
    noise,
  );
  const heldOut = await noisyClips(encoder, heldOutRecordings, [1000, 1001, 1002, 1003], noise);
  await encoder.dispose();
  post({ type: "auc", when: "before", auc: await clipsAuc(backend, silero.weights, heldOut) });
  post({
    type: "status",
    text: `fine-tuning the decoder on ${train.length} clips; held out: ${heldOutRecordings.map((r) => r.name).join(", ")}…`,
  });
  const { weights } = await fineTuneDecoder(backend, silero.weights, train, {
    epochs: msg.epochs,
    batchSize: 4,
    seed: 1,
    validation: heldOut,
    onEvent: (e) => {
      if (e.type === "epochEnd") {
        post({ type: "epoch", epoch: e.epoch + 1, trainLoss: e.trainLoss, valLoss: e.valLoss ?? Number.NaN });
      }
    },
  });
  post({ type: "auc", when: "after", auc: await clipsAuc(backend, weights, heldOut) });
  const onnx = new Uint8Array(exportSileroOnnx(silero.model, weights)); // a copy on its own ArrayBuffer, to transfer
  post({ type: "done", onnx }, [onnx.buffer]);
}

addEventListener("message", (event: MessageEvent<ToSileroWorker>) => {
  finetune(event.data).catch((e: unknown) => post({ type: "error", message: (e as Error).message ?? String(e) }));
});
