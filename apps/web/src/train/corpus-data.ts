/**
 * The embedded corpus in a browser: fetches `corpus.json`, `features.f16` and `labels.u8`, checks their SHA-256
 * against the manifest (Web Crypto; as `loadCorpus` does in Node) and builds `SpeechCorpus` from the bytes, then
 * the training data of a phone classifier: the speech demo's split (seed 1), CMVN fitted on the training
 * utterances, chunks of whole frames for training and a fixed set of held-out utterances for accuracy.
 */
import type { SequenceExample } from "@recurrent/core";
import { type Cmvn, SpeechCorpus } from "@recurrent/speech";
import type { CorpusUrls } from "../assets.js";

/** Seed of apps/speech-demo's split, so the held-out utterances here are the demo's too. */
export const SPLIT_SEED = 1;

async function bytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status} ${res.statusText}`);
  return new Uint8Array(await res.arrayBuffer());
}

async function sha256(data: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Fetches and checks the corpus.
 * @throws Error naming the file when a fetch fails or a checksum differs; SpeechError `CORPUS_FORMAT` from
 *   `SpeechCorpus.fromBuffers` for a malformed manifest.
 */
export async function fetchCorpus(urls: CorpusUrls): Promise<SpeechCorpus> {
  const manifest = JSON.parse(new TextDecoder().decode(await bytes(urls.manifest))) as {
    features?: { sha256?: string };
    labels?: { sha256?: string };
  };
  const [features, labels] = await Promise.all([bytes(urls.features), bytes(urls.labels)]);
  for (const [name, data, expected] of [
    ["features", features, manifest.features?.sha256],
    ["labels", labels, manifest.labels?.sha256],
  ] as const) {
    const actual = await sha256(data);
    if (actual !== expected) {
      throw new Error(`corpus ${name}: SHA-256 is ${actual}, corpus.json expects ${expected}; the file is damaged`);
    }
  }
  return SpeechCorpus.fromBuffers(manifest, features, labels);
}

/** Training chunks and held-out utterances, normalized with the training CMVN. */
export interface PhoneData {
  readonly cmvn: Cmvn;
  readonly train: SequenceExample[];
  readonly heldOut: SequenceExample[];
}

/** Cuts the corpus into training chunks of at most `chunkFrames` frames; keeps `heldOutCount` valid utterances. */
export function phoneData(corpus: SpeechCorpus, chunkFrames: number, heldOutCount = 20): PhoneData {
  const split = corpus.split({ seed: SPLIT_SEED });
  const cmvn = corpus.fitCmvn(split.train);
  const example = (id: string) => ({
    x: cmvn.apply(corpus.features(id)).data,
    y: Int32Array.from(corpus.labels(id).data),
  });
  const train: SequenceExample[] = [];
  for (const id of split.train) {
    const { x, y } = example(id);
    for (let s = 0; s < y.length; s += chunkFrames) {
      const e = Math.min(y.length, s + chunkFrames);
      train.push({ x: x.slice(s * 39, e * 39), y: y.slice(s, e) });
    }
  }
  return { cmvn, train, heldOut: split.valid.slice(0, heldOutCount).map(example) };
}
