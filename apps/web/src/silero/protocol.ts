/** Messages between the page and the Silero fine-tuning worker (structured-clone plain objects). */
import type { BackendId } from "../backends.js";

/** One aligned recording of the corpus: its WAV and `.phn` URLs. */
export interface RecordingUrls {
  readonly name: string;
  readonly wav: string;
  readonly phn: string;
}

export type ToSileroWorker = {
  readonly type: "finetune";
  readonly backend: BackendId;
  /** The user's copy of the official model file (`.onnx` or `.safetensors`), transferred. */
  readonly model: Uint8Array;
  readonly modelName: string;
  /** Training recordings; the last two are held out. */
  readonly recordings: readonly RecordingUrls[];
  readonly epochs: number;
};

export type FromSileroWorker =
  | { readonly type: "status"; readonly text: string }
  | { readonly type: "auc"; readonly when: "before" | "after"; readonly auc: number }
  | { readonly type: "epoch"; readonly epoch: number; readonly trainLoss: number; readonly valLoss: number }
  | {
      readonly type: "done";
      /** The fine-tuned model with the official ONNX contract (input, state, sr → output, stateN). */
      readonly onnx: Uint8Array<ArrayBuffer>;
    }
  | { readonly type: "error"; readonly message: string };
