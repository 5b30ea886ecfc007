/**
 * The README's example, kept runnable (and run by readme-example.test.ts):
 *   npx tsx --conditions=@recurrent/source test/readme-example.ts
 */
import { frameLabels, MfccStream, mfccFromAudio, PHONE_CLASSES } from "@recurrent/speech";
import { corpusAudio, loadCorpus, readPhnFile, readWavFile } from "@recurrent/speech/node"; // Node-only: reads files

export async function main(log: (...args: unknown[]) => void = console.log): Promise<void> {
  // 1. The embedded corpus: real phone-aligned speech as MFCC-39 frames, 40 classes.
  const corpus = await loadCorpus();
  const { train, valid, test } = corpus.split({ seed: 1 }); // by utterance, deterministic
  const cmvn = corpus.fitCmvn(train); // global CMVN; store cmvn.toJSON() beside the model
  const batches = corpus.batches(train, { batchSize: 16, seed: 1, sortByLength: true, normalize: cmvn });
  const batch = batches.next().value!;
  log(`${corpus.utterances.length} utterances: ${train.length} train / ${valid.length} valid / ${test.length} test`);
  log("x", batch.x.shape, "labels", batch.labels?.shape, "lengths", [...batch.lengths]); // [T, 16, 39] [T, 16]

  // 2. A WAV file (any PCM/float format, any rate: resampled to 16 kHz) → the same features and labels.
  const [audio] = await corpusAudio();
  const wav = await readWavFile(audio!.wav);
  const features = cmvn.apply(mfccFromAudio(wav)); // [T, 39]
  const labels = frameLabels(await readPhnFile(audio!.phn), features.shape[0]!); // [T] class indices
  log(audio!.id, features.shape, [...labels.subarray(0, 12)].map((c) => PHONE_CLASSES[c]).join(" "));

  // 3. Streaming: frames come out as audio arrives, 4 frames (40 ms) behind because of Δ/ΔΔ.
  const stream = new MfccStream(); // new MfccStream({ deltas: false }) for 13 causal statics
  let frames = 0;
  for (let i = 0; i < wav.samples.length; i += 320) frames += stream.push(wav.samples.subarray(i, i + 320)).length / 39;
  frames += stream.end().length / 39;
  log(`streamed ${frames} frames (latency ${stream.latencyFrames} frames)`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
