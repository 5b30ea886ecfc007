/**
 * @recurrent/speech: WAV reading and resampling, MFCC-39 (batch and streaming), CMVN, TIMIT-style phone
 * alignments and frame labels, and an embedded corpus of real phone-aligned speech with split and batching.
 * Depends on nothing else of Recurrent; tensors are plain `{ shape, data }` objects that match core's.
 * Browser-safe: the file readers and the corpus loader (`readWavFile`, `readPhnFile`, `loadCorpus`, `corpusAudio`,
 * `CORPUS_DIR`) are in the Node-only entry `@recurrent/speech/node`.
 */
export { padBatch, type SequenceExample, type SpeechBatch } from "./batch.js";
export { Cmvn, CmvnAccumulator, type CmvnJSON, cmvnUtterance, STD_FLOOR } from "./cmvn.js";
export { type CorpusBatchOptions, type CorpusManifest, SpeechCorpus, type UtteranceInfo } from "./corpus.js";
export { SpeechError, type SpeechErrorCode } from "./errors.js";
export { decodeFloat16, encodeFloat16, float16Bits } from "./float16.js";
export { addDeltas, mfcc, mfccFromAudio, staticMfcc } from "./mfcc.js";
export {
  DELTA_WINDOW,
  FRAME_LENGTH,
  FRAME_STEP,
  frameCount,
  LOG_FLOOR,
  MFCC_RECIPE,
  MFCC_SAMPLE_RATE,
  NUM_FEATURES,
  NUM_STATIC,
} from "./mfcc-recipe.js";
export { MfccStream, type MfccStreamOptions } from "./mfcc-stream.js";
export { type FrameLabelOptions, frameLabels, type PhoneSegment, parsePhn, writePhn } from "./phn.js";
export { NUM_CLASSES, PHONE_CLASSES, type PhoneClass, phoneIndex, SIL } from "./phones.js";
export { MAX_RESAMPLE_RATIO, type ResampleOptions, resample } from "./resample.js";
export { type Split, type SplitOptions, seededRandom, shuffleInPlace, splitUtterances } from "./split.js";
export type { FloatTensor, IntTensor } from "./tensor.js";
export { type ReadWavOptions, readWav, type WavAudio, writeWav } from "./wav.js";
