/**
 * The steps around {@link fineTuneDecoder} that every fine-tuning run repeats: labelled, noisy clips of aligned
 * recordings as encoder features, and the per-chunk ROC-AUC of a model on them. Browser-safe (the web app's
 * training worker uses them as the Node example does).
 */
import type { Backend, Executable, Weights } from "@recurrent/core";
import { rocAuc } from "./auc.js";
import { decoderProbabilities, decoderWeights, type FeatureClip, sileroFeatures } from "./finetune.js";
import { sileroDecoderGraph } from "./graph.js";
import { chunkLabels } from "./labels.js";
import { type AlignedAudio, joinWithPauses } from "./mix.js";
import { addNoise, type NoiseOptions } from "./noise.js";

/** A clip with the audio it was made from. */
export interface NoisyClip extends FeatureClip {
  /** The noisy 16 kHz audio the features were computed from. */
  readonly samples: Float32Array;
}

/**
 * One clip per seed: the utterances joined with seeded pauses ({@link joinWithPauses}), seeded noise added
 * ({@link addNoise}; the seed is the clip's), labelled per chunk ({@link chunkLabels}) and encoded.
 * @param encoder the frozen encoder ({@link compileEncoder}).
 */
export async function noisyClips(
  encoder: Executable,
  utterances: readonly AlignedAudio[],
  seeds: readonly number[],
  noise: Omit<NoiseOptions, "seed">,
): Promise<NoisyClip[]> {
  const out: NoisyClip[] = [];
  for (const seed of seeds) {
    const joined = joinWithPauses(utterances, { seed });
    const samples = addNoise(joined.samples, { ...noise, seed });
    out.push({
      samples,
      features: await sileroFeatures(encoder, samples),
      labels: chunkLabels(joined.segments, samples.length),
    });
  }
  return out;
}

/**
 * The ROC-AUC over every chunk of `clips` of the model with these (full or decoder) weights: the recipe's
 * validation score. Equal to streaming the full model (see {@link decoderProbabilities}).
 */
export async function clipsAuc(backend: Backend, weights: Weights, clips: readonly FeatureClip[]): Promise<number> {
  const decoder = await backend.compile(sileroDecoderGraph(), decoderWeights(weights));
  try {
    const scores: number[] = [];
    const labels: number[] = [];
    for (const clip of clips) {
      scores.push(...(await decoderProbabilities(decoder, clip.features)));
      labels.push(...clip.labels);
    }
    return rocAuc(scores, labels);
  } finally {
    await decoder.dispose();
  }
}
