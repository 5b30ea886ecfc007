/**
 * Node's side of the agreement test: per-frame phone decisions of the shipped LSTM run by core's `stream()` on
 * backend-js, from the library's batch functions only (whole-buffer `resample`, `MfccStream` in 10 ms pushes,
 * `Cmvn.apply`), none of the page's code. Plus cross-correlation to find where a file sits in a recording.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { jsBackend } from "@recurrent/backend-js";
import { deserializeModel, stream } from "@recurrent/core";
import { Cmvn, MFCC_SAMPLE_RATE, MfccStream, NUM_CLASSES, NUM_FEATURES, resample } from "@recurrent/speech";

export const SHIPPED_MODEL = fileURLToPath(
  new URL("../../speech-demo/models/phones-lstm.safetensors", import.meta.url),
);

/** Arg-max phone of every 10 ms frame of `samples` (at `rate` Hz), streamed frame by frame from zero state. */
export async function nodeDecisions(samples: Float32Array, rate: number): Promise<number[]> {
  const { model, weights, metadata } = deserializeModel(new Uint8Array(readFileSync(SHIPPED_MODEL)));
  const cmvn = Cmvn.fromJSON(JSON.parse(metadata["speech-demo.cmvn"]!));
  const live = stream(await jsBackend().compile(model, weights));
  const audio = rate === MFCC_SAMPLE_RATE ? samples : resample(samples, rate, MFCC_SAMPLE_RATE);
  const features = new MfccStream();
  const phones: number[] = [];
  const decide = async (block: Float32Array) => {
    for (let o = 0; o < block.length; o += NUM_FEATURES) {
      const frame = cmvn.apply({ shape: [1, NUM_FEATURES], data: block.subarray(o, o + NUM_FEATURES) });
      const out = (await live.push(frame)).out!.data;
      let best = 0;
      for (let k = 1; k < NUM_CLASSES; k++) if (out[k]! > out[best]!) best = k;
      phones.push(best);
    }
  };
  for (let at = 0; at < audio.length; at += 160) await decide(features.push(audio.subarray(at, at + 160)));
  await decide(features.end());
  return phones;
}

/** Normalized cross-correlation of `needle` placed at `lag` in `hay`, over every `stride`-th sample. */
function correlation(hay: Float32Array, needle: Float32Array, lag: number, stride: number): number {
  let dot = 0;
  let hh = 0;
  let nn = 0;
  for (let i = 0; i < needle.length; i += stride) {
    const a = hay[lag + i]!;
    const b = needle[i]!;
    dot += a * b;
    hh += a * a;
    nn += b * b;
  }
  return dot / Math.sqrt(hh * nn + 1e-30);
}

/**
 * Where `needle` occurs in `hay` with lag in [from, to): a coarse search on every 8th lag and sample, refined at
 * full rate around the best coarse lag.
 * @returns the lag and its normalized correlation (1 = an exact, scaled copy).
 */
export function findLag(hay: Float32Array, needle: Float32Array, from: number, to: number): { lag: number; r: number } {
  const last = Math.min(to, hay.length - needle.length + 1);
  let best = { lag: -1, r: Number.NEGATIVE_INFINITY };
  for (let lag = from; lag < last; lag += 8) {
    const r = correlation(hay, needle, lag, 8);
    if (r > best.r) best = { lag, r };
  }
  const coarse = best.lag;
  best = { lag: -1, r: Number.NEGATIVE_INFINITY };
  for (let lag = Math.max(from, coarse - 12); lag <= Math.min(last - 1, coarse + 12); lag++) {
    const r = correlation(hay, needle, lag, 1);
    if (r > best.r) best = { lag, r };
  }
  return best;
}
