/**
 * @recurrent/silero — Silero VAD (16 kHz, v5) in Recurrent: the model built in the IR from its `.safetensors`
 * file, streamed in 32 ms chunks on any backend (`SileroVad`), speech segments, ROC-AUC, chunk labels from
 * phone alignments, fine-tuning of the decoder with the official recipe, and ONNX export with the original
 * contract. Browser-safe: no `node:` import.
 */
export { rocAuc } from "./auc.js";
export { CHUNK_SAMPLES, CONTEXT_SAMPLES, SAMPLE_RATE, UNITS, WINDOW_SAMPLES } from "./constants.js";
export { SileroError, type SileroErrorCode } from "./errors.js";
export { exportSileroOnnx, SILERO_ONNX_NAMES } from "./export.js";
export {
  compileEncoder,
  decoderDataset,
  decoderProbabilities,
  decoderWeights,
  encoderWeights,
  type FeatureClip,
  type FineTuneOptions,
  fineTuneDecoder,
  MAX_CLIP_CHUNKS,
  SILERO_TRAIN_CONFIG,
  sileroFeatures,
  splitClips,
  withDecoderWeights,
} from "./finetune.js";
export { sileroFromOnnx } from "./from-onnx.js";
export { SILERO_IDS, sileroDecoderGraph, sileroEncoderGraph, sileroGraph } from "./graph.js";
export {
  type ChunkLabelOptions,
  chunkCount,
  chunkLabels,
  type LabelledSegment,
  NON_SPEECH_LABELS,
} from "./labels.js";
export { type AlignedAudio, joinWithPauses, type PauseOptions } from "./mix.js";
export { addNoise, type NoiseOptions } from "./noise.js";
export { clipsAuc, type NoisyClip, noisyClips } from "./recipe.js";
export { type SegmentOptions, type SpeechSegment, speechSegments } from "./segments.js";
export { checkSampleRate, type Detection, SileroVad } from "./vad.js";
export { type SileroModel, sileroFromSafetensors, sileroStateDict, sileroWeightsFromStateDict } from "./weights.js";
