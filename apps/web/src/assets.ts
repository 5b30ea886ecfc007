/**
 * Files the page fetches, emitted by Vite as static assets (hashed names under `assets/`): the LSTM phone model
 * shipped with apps/speech-demo and the embedded corpus of `@recurrent/speech` (for training in the worker).
 */

import manifestUrl from "../../../packages/speech/data/corpus.json?url";
import featuresUrl from "../../../packages/speech/data/features.f16?url";
import labelsUrl from "../../../packages/speech/data/labels.u8?url";
import shippedModelUrl from "../../speech-demo/models/phones-lstm.safetensors?url";

/** URLs of the corpus's three files (resolved against the page, so a worker can fetch them too). */
export interface CorpusUrls {
  readonly manifest: string;
  readonly features: string;
  readonly labels: string;
}

const absolute = (url: string) => new URL(url, location.href).href;

/**
 * The corpus's aligned 16 kHz recordings (packages/speech/data/audio: 7 WAV + `.phn` pairs, 0.5 MB) for the Silero
 * VAD fine-tuning worker, in name order.
 */
const audioUrls = import.meta.glob("../../../packages/speech/data/audio/*.{wav,phn}", {
  query: "?url",
  import: "default",
  eager: true,
}) as Record<string, string>;
export const CORPUS_RECORDINGS: readonly { readonly name: string; readonly wav: string; readonly phn: string }[] =
  Object.keys(audioUrls)
    .filter((path) => path.endsWith(".wav"))
    .sort()
    .map((path) => ({
      name: path.replace(/^.*\/|\.wav$/g, ""),
      wav: absolute(audioUrls[path]!),
      phn: absolute(audioUrls[path.replace(/\.wav$/, ".phn")]!),
    }));

/** The shipped model (apps/speech-demo/models/phones-lstm.safetensors, 121 KB). */
export const SHIPPED_MODEL_URL = absolute(shippedModelUrl);

/** The embedded corpus (2.8 MB: float16 statics, uint8 labels, the JSON manifest). */
export const CORPUS_URLS: CorpusUrls = {
  manifest: absolute(manifestUrl),
  features: absolute(featuresUrl),
  labels: absolute(labelsUrl),
};
