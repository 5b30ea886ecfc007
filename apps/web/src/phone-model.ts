/**
 * Phone classifiers as the page uses them: a core `.safetensors` model file whose metadata carries the CMVN
 * statistics of its training frames under `speech-demo.cmvn` (the format of apps/speech-demo's model files, so
 * the shipped LSTM and a model trained in this page's worker load the same way).
 */
import { deserializeModel, type ValidModel, type Weights } from "@recurrent/core";
import { Cmvn, NUM_FEATURES } from "@recurrent/speech";

/** The metadata key holding the CMVN statistics (JSON of `Cmvn.toJSON()`). */
export const CMVN_KEY = "speech-demo.cmvn";
/** The sequence input every phone model reads: `[time, batch, 39]` MFCC-39 after CMVN. */
export const INPUT = "frames";
/** The output every phone model returns: `[time, batch, 40]` logits. */
export const OUTPUT = "out";

/** A loaded phone classifier. */
export interface PhoneModel {
  readonly model: ValidModel;
  readonly weights: Weights;
  readonly cmvn: Cmvn;
  /** Where it came from, for the page ("shipped LSTM", "trained here, 300 steps"). */
  readonly label: string;
}

/**
 * Reads a phone model from the bytes of its file.
 * @throws Error naming `label` when the bytes are not a Recurrent model file (core's `ModelFileError` message),
 *   lack the CMVN metadata, or do not read `frames` [T, B, 39] and return `out` [T, B, 40].
 */
export function readPhoneModel(bytes: Uint8Array, label: string): PhoneModel {
  const { model, weights, metadata } = deserializeModel(bytes);
  const text = metadata[CMVN_KEY];
  if (text === undefined) throw new Error(`${label}: the model file has no "${CMVN_KEY}" metadata`);
  const cmvn = Cmvn.fromJSON(JSON.parse(text));
  const input = model.nodes.find((n) => n.op === "input" && n.id === INPUT);
  if (input?.op !== "input" || input.shape.at(-1) !== NUM_FEATURES || cmvn.dim !== NUM_FEATURES) {
    throw new Error(`${label}: expected input "${INPUT}" of ${NUM_FEATURES} features and 39-dim CMVN`);
  }
  if (!model.outputs.includes(OUTPUT)) throw new Error(`${label}: the model returns no "${OUTPUT}"`);
  return { model, weights, cmvn, label };
}

/**
 * Fetches and reads a phone model.
 * @throws Error naming the URL and the HTTP status when the fetch fails; see {@link readPhoneModel}.
 */
export async function fetchPhoneModel(url: string, label: string): Promise<PhoneModel> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${label}: GET ${url} answered ${res.status} ${res.statusText}`);
  return readPhoneModel(new Uint8Array(await res.arrayBuffer()), label);
}
