/** Messages between the page and the training worker (structured-clone plain objects). */

import type { CorpusUrls } from "../assets.js";
import type { BackendId } from "../backends.js";

/** What to train. */
export interface TrainSettings {
  /** LSTM units. */
  readonly units: number;
  /** Optimizer steps, then stop. */
  readonly steps: number;
  /** Chunks of `chunkFrames` frames per step. */
  readonly batchSize: number;
  readonly chunkFrames: number;
  /** Adam learning rate. */
  readonly lr: number;
  readonly seed: number;
  /** Frame accuracy on the held-out utterances every this many steps. */
  readonly evalEvery: number;
}

export const DEFAULT_SETTINGS: TrainSettings = {
  units: 48,
  steps: 300,
  batchSize: 8,
  chunkFrames: 100,
  lr: 0.005,
  seed: 1,
  evalEvery: 10,
};

export type ToWorker =
  | {
      readonly type: "train";
      readonly backend: BackendId;
      readonly corpus: CorpusUrls;
      readonly settings: TrainSettings;
    }
  | { readonly type: "stop" }
  /** Times `steps` training steps (after 1 warm-up step) of the settings' model on `backend`. */
  | {
      readonly type: "bench";
      readonly backend: BackendId;
      readonly corpus: CorpusUrls;
      readonly settings: TrainSettings;
      readonly steps: number;
    };

export type FromWorker =
  | { readonly type: "status"; readonly text: string }
  | { readonly type: "step"; readonly step: number; readonly loss: number; readonly ms: number }
  | { readonly type: "eval"; readonly step: number; readonly accuracy: number; readonly frames: number }
  | {
      readonly type: "done";
      readonly reason: "completed" | "stopped";
      readonly steps: number;
      /** The trained model as a `.safetensors` model file with its CMVN (see phone-model.ts). */
      readonly model: Uint8Array;
    }
  | { readonly type: "bench"; readonly backend: BackendId; readonly msPerStep: number; readonly steps: number }
  | { readonly type: "error"; readonly message: string };
