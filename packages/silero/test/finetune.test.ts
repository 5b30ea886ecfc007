/**
 * Fine-tuning with the official recipe on the embedded corpus's real recordings (packages/speech/data/audio, 7
 * utterances with phone alignments): utterances joined with pauses, white noise at −10 dB SNR, 5 utterances to
 * train on and 2 held out. The held-out ROC-AUC must improve. A few seconds on 2 cores.
 */
import { jsBackend } from "@recurrent/backend-js";
import type { Executable, Weights } from "@recurrent/core";
import { corpusAudio, readPhnFile, readWavFile } from "@recurrent/speech/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AlignedAudio,
  clipsAuc,
  compileEncoder,
  decoderProbabilities,
  decoderWeights,
  exportSileroOnnx,
  type FeatureClip,
  fineTuneDecoder,
  type NoisyClip,
  noisyClips,
  SileroVad,
  sileroDecoderGraph,
  sileroFeatures,
  sileroFromSafetensors,
} from "../src/index.js";
import { bytesOf, SAFETENSORS, SKIP_REASON } from "./files.js";
import { ortProbabilities, ortSession } from "./ort-reference.js";

const HELD_OUT = ["agent-pass", "conf-invalid"];
const SNR_DB = -10;

describe.skipIf(SKIP_REASON !== undefined)("fine-tuning Silero VAD (frozen encoder, decoder trained)", () => {
  const backend = jsBackend();
  const silero = SKIP_REASON === undefined ? sileroFromSafetensors(bytesOf(SAFETENSORS)) : undefined;
  let encoder: Executable;
  let train: FeatureClip[];
  let heldOut: NoisyClip[];
  let firstNoisy: Float32Array;

  beforeAll(async () => {
    encoder = await compileEncoder(backend, silero!.weights);
    const utterances: (AlignedAudio & { id: string })[] = [];
    for (const u of await corpusAudio()) {
      utterances.push({ id: u.id, samples: (await readWavFile(u.wav)).samples, segments: await readPhnFile(u.phn) });
    }
    const clips = (ids: readonly string[], seeds: readonly number[]) =>
      noisyClips(
        encoder,
        utterances.filter((u) => ids.includes(u.id)),
        seeds,
        { snrDb: SNR_DB },
      );
    const trainIds = utterances.map((u) => u.id).filter((id) => !HELD_OUT.includes(id));
    heldOut = await clips(HELD_OUT, [1000, 1001, 1002, 1003]);
    firstNoisy = heldOut[0]!.samples;
    train = await clips(trainIds, [10, 11, 12, 13, 14, 15, 16, 17]);
  });
  afterAll(async () => encoder?.dispose());

  const auc = (weights: Weights, clips: readonly FeatureClip[]) => clipsAuc(backend, weights, clips);

  it("features + decoder give the streamed model's probabilities (1e-5)", async () => {
    const vad = await SileroVad.create(backend, silero!);
    const streamed = (await vad.detect(firstNoisy, 16000)).probabilities;
    await vad.dispose();
    const decoder = await backend.compile(sileroDecoderGraph(), decoderWeights(silero!.weights));
    const batched = await decoderProbabilities(decoder, await sileroFeatures(encoder, firstNoisy));
    let diff = 0;
    for (let i = 0; i < streamed.length; i++) diff = Math.max(diff, Math.abs(streamed[i]! - batched[i]!));
    expect(batched.length).toBe(streamed.length);
    expect(diff).toBeLessThanOrEqual(1e-5);
  });

  it("raises the held-out ROC-AUC", async () => {
    const before = await auc(silero!.weights, heldOut);
    const { weights, history } = await fineTuneDecoder(backend, silero!.weights, train, {
      epochs: 6,
      batchSize: 4,
      seed: 1,
      validation: heldOut,
    });
    const after = await auc(weights, heldOut);
    console.log(
      `[silero fine-tune] held-out ROC-AUC ${before.toFixed(3)} -> ${after.toFixed(3)} (white noise ${SNR_DB} dB, ` +
        `${train.length} training clips, ${history.epochs.length} epochs, val loss ${history.epochs[0]?.valLoss?.toFixed(3)} -> ${history.epochs.at(-1)?.valLoss?.toFixed(3)})`,
    );
    expect(after).toBeGreaterThan(before + 0.03);
    // Only the decoder changed.
    for (const key of ["stft_conv/weight", "conv1/weight", "conv4/bias"]) {
      expect(weights[key]!.data, key).toEqual(silero!.weights[key]!.data);
    }
    expect(weights["lstm_cell/weight_ih"]!.data).not.toEqual(silero!.weights["lstm_cell/weight_ih"]!.data);

    // The fine-tuned model, exported with the original contract, gives the JS probabilities in onnxruntime.
    const exported = await ortProbabilities(await ortSession(exportSileroOnnx(silero!.model, weights)), firstNoisy);
    const vad = await SileroVad.create(backend, { model: silero!.model, weights });
    const js = (await vad.detect(firstNoisy, 16000)).probabilities;
    await vad.dispose();
    let diff = 0;
    for (let i = 0; i < js.length; i++) diff = Math.max(diff, Math.abs(js[i]! - exported[i]!));
    expect(diff).toBeLessThanOrEqual(1e-4);
  }, 60_000);
});
