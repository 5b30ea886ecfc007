/**
 * The embedded corpus (or any corpus in the same format) in memory: utterances, MFCC-39 features `[T, 39]`
 * (Δ/ΔΔ computed on load from stored float16 statics), frame labels `[T]`, split and batching.
 * Browser-safe: takes bytes; `loadCorpus` in node.ts reads the files.
 */
import { padBatch, type SpeechBatch } from "./batch.js";
import { Cmvn, cmvnUtterance } from "./cmvn.js";
import { SpeechError } from "./errors.js";
import { decodeFloat16 } from "./float16.js";
import { addDeltas } from "./mfcc.js";
import { FRAME_LENGTH, FRAME_STEP, MFCC_SAMPLE_RATE, NUM_FEATURES, NUM_STATIC } from "./mfcc-recipe.js";
import { NUM_CLASSES, PHONE_CLASSES } from "./phones.js";
import { type Split, type SplitOptions, seededRandom, shuffleInPlace, splitUtterances } from "./split.js";
import type { FloatTensor, IntTensor } from "./tensor.js";

/** `corpus.json`: what the binary files hold. */
export interface CorpusManifest {
  readonly format: "recurrent-speech-corpus";
  readonly version: 1;
  readonly name: string;
  readonly sampleRate: number;
  readonly frameLength: number;
  readonly frameStep: number;
  /** `[ΣT, 13]` static MFCCs (log energy, c1..c12), little-endian float16, utterances in manifest order. */
  readonly features: {
    readonly file: string;
    readonly dtype: "float16";
    readonly dim: number;
    readonly sha256: string;
  };
  /** `[ΣT]` class indices into `classes`, uint8. */
  readonly labels: { readonly file: string; readonly dtype: "uint8"; readonly sha256: string };
  readonly classes: readonly string[];
  readonly utterances: readonly { readonly id: string; readonly text: string; readonly frames: number }[];
}

/** One utterance of a corpus. */
export interface UtteranceInfo {
  readonly id: string;
  /** The prompt's transcript. */
  readonly text: string;
  /** T, frames at 100 per second. */
  readonly frames: number;
  /** First frame in the corpus-wide arrays. */
  readonly offset: number;
}

/** Options for {@link SpeechCorpus.batches}. */
export interface CorpusBatchOptions {
  /** Utterances per batch (the last batch may be smaller). */
  readonly batchSize: number;
  /** Shuffle the utterance order with this seed; absent: keep the given order. */
  readonly seed?: number;
  /** Group similar lengths (after shuffling, within each window of 8 batches) to cut padding. Default false. */
  readonly sortByLength?: boolean;
  /** Feature normalization: "utterance" (per-utterance CMVN), a fitted global `Cmvn`, or "none" (default). */
  readonly normalize?: "none" | "utterance" | Cmvn;
}

function fail(message: string): never {
  throw new SpeechError("CORPUS_FORMAT", message);
}

/** An in-memory labelled speech corpus. */
export class SpeechCorpus {
  readonly name: string;
  readonly utterances: readonly UtteranceInfo[];
  /** Class names by index (the 40-class set). */
  readonly classes: readonly string[];
  /** Total frames. */
  readonly totalFrames: number;
  private readonly byId: Map<string, UtteranceInfo>;
  private readonly all39: Float32Array;
  private readonly allLabels: Int32Array;

  private constructor(name: string, utterances: UtteranceInfo[], all39: Float32Array, allLabels: Int32Array) {
    this.name = name;
    this.utterances = utterances;
    this.classes = PHONE_CLASSES;
    this.byId = new Map(utterances.map((u) => [u.id, u]));
    this.all39 = all39;
    this.allLabels = allLabels;
    this.totalFrames = allLabels.length;
  }

  /**
   * Builds a corpus from its manifest and the bytes of its two data files.
   * @throws SpeechError `CORPUS_FORMAT` naming the field when the manifest is not a version-1 corpus of this
   *   package's recipe and class set, or the byte counts / labels disagree with it.
   */
  static fromBuffers(manifest: unknown, features: Uint8Array, labels: Uint8Array): SpeechCorpus {
    const m = manifest as CorpusManifest;
    if (m === null || typeof m !== "object" || m.format !== "recurrent-speech-corpus" || m.version !== 1) {
      fail(
        `corpus.json: expected format "recurrent-speech-corpus" version 1, got ${JSON.stringify(m?.format)} ${m?.version}`,
      );
    }
    if (m.sampleRate !== MFCC_SAMPLE_RATE || m.frameLength !== FRAME_LENGTH || m.frameStep !== FRAME_STEP) {
      fail(
        `corpus.json: frames are ${m.sampleRate} Hz ${m.frameLength}/${m.frameStep}, this package computes 16000 Hz 400/160`,
      );
    }
    if (m.features?.dtype !== "float16" || m.features.dim !== NUM_STATIC || m.labels?.dtype !== "uint8") {
      fail(`corpus.json: expected float16 features of dim ${NUM_STATIC} and uint8 labels`);
    }
    if (!Array.isArray(m.classes) || m.classes.join(" ") !== PHONE_CLASSES.join(" ")) {
      fail(`corpus.json: classes must be the 40-class set (${PHONE_CLASSES.join(" ")})`);
    }
    if (!Array.isArray(m.utterances)) fail("corpus.json: utterances must be an array");
    const infos: UtteranceInfo[] = [];
    let offset = 0;
    const seen = new Set<string>();
    for (const [i, u] of m.utterances.entries()) {
      if (typeof u?.id !== "string" || seen.has(u.id) || !Number.isInteger(u.frames) || u.frames < 0) {
        fail(
          `corpus.json: utterances[${i}] needs a unique string id and integer frames >= 0, got ${JSON.stringify(u)}`,
        );
      }
      seen.add(u.id);
      infos.push({ id: u.id, text: String(u.text ?? ""), frames: u.frames, offset });
      offset += u.frames;
    }
    if (features.length !== offset * NUM_STATIC * 2) {
      fail(
        `${m.features.file}: has ${features.length} bytes, the manifest's ${offset} frames need ${offset * NUM_STATIC * 2}`,
      );
    }
    if (labels.length !== offset) fail(`${m.labels.file}: has ${labels.length} labels for ${offset} frames`);
    const statics = decodeFloat16(features);
    const all39 = new Float32Array(offset * NUM_FEATURES);
    for (const u of infos) {
      const s = statics.subarray(u.offset * NUM_STATIC, (u.offset + u.frames) * NUM_STATIC);
      all39.set(addDeltas({ shape: [u.frames, NUM_STATIC], data: s }).data, u.offset * NUM_FEATURES);
    }
    const allLabels = Int32Array.from(labels);
    const bad = allLabels.findIndex((c) => c >= NUM_CLASSES);
    if (bad >= 0) fail(`${m.labels.file}: frame ${bad} has class ${allLabels[bad]}, expected 0..${NUM_CLASSES - 1}`);
    return new SpeechCorpus(m.name, infos, all39, allLabels);
  }

  /** Utterance ids in corpus order. */
  ids(): string[] {
    return this.utterances.map((u) => u.id);
  }

  /**
   * One utterance's metadata.
   * @throws SpeechError `CORPUS_UNKNOWN_UTTERANCE` for an id the corpus lacks.
   */
  utterance(id: string): UtteranceInfo {
    const u = this.byId.get(id);
    if (u === undefined) {
      throw new SpeechError(
        "CORPUS_UNKNOWN_UTTERANCE",
        `corpus "${this.name}" has no utterance "${id}" (${this.utterances.length} utterances; see ids())`,
      );
    }
    return u;
  }

  /**
   * MFCC-39 of one utterance, `[T, 39]` (a view into the corpus: do not modify).
   * @throws SpeechError `CORPUS_UNKNOWN_UTTERANCE`.
   */
  features(id: string): FloatTensor {
    const u = this.utterance(id);
    return {
      shape: [u.frames, NUM_FEATURES],
      data: this.all39.subarray(u.offset * NUM_FEATURES, (u.offset + u.frames) * NUM_FEATURES),
    };
  }

  /**
   * Frame labels of one utterance, `[T]` class indices (a view: do not modify).
   * @throws SpeechError `CORPUS_UNKNOWN_UTTERANCE`.
   */
  labels(id: string): IntTensor {
    const u = this.utterance(id);
    return { shape: [u.frames], data: this.allLabels.subarray(u.offset, u.offset + u.frames) };
  }

  /** Deterministic split by utterance (see `splitUtterances`). */
  split(options: SplitOptions): Split {
    return splitUtterances(this.ids(), options);
  }

  /**
   * Global CMVN statistics over the given utterances (fit on the training set only).
   * @throws SpeechError `CORPUS_UNKNOWN_UTTERANCE`, `CMVN_BAD_STATS` when they hold no frames.
   */
  fitCmvn(ids: readonly string[]): Cmvn {
    return Cmvn.fit(ids.map((id) => this.features(id)));
  }

  /** Frames per class, `[40]`. */
  classCounts(ids: readonly string[] = this.ids()): Int32Array {
    const counts = new Int32Array(NUM_CLASSES);
    for (const id of ids) for (const c of this.labels(id).data) counts[c]!++;
    return counts;
  }

  /**
   * Time-major padded batches `{ x: [T, B, 39], labels: [T, B], lengths: [B], ids }` over `ids`.
   * @throws SpeechError `BATCH_BAD_INPUT` for a batch size that is not a positive integer,
   *   `CORPUS_UNKNOWN_UTTERANCE` for an unknown id.
   */
  *batches(ids: readonly string[], options: CorpusBatchOptions): Generator<SpeechBatch & { readonly ids: string[] }> {
    const { batchSize } = options;
    if (!Number.isInteger(batchSize) || batchSize <= 0) {
      throw new SpeechError("BATCH_BAD_INPUT", `batches: batchSize must be a positive integer, got ${batchSize}`);
    }
    for (const id of ids) this.utterance(id);
    let order = [...ids];
    if (options.seed !== undefined) shuffleInPlace(order, seededRandom(options.seed));
    if (options.sortByLength) {
      const window = batchSize * 8;
      const sorted: string[] = [];
      for (let i = 0; i < order.length; i += window) {
        sorted.push(...order.slice(i, i + window).sort((a, b) => this.utterance(a).frames - this.utterance(b).frames));
      }
      order = sorted;
    }
    const norm = options.normalize ?? "none";
    for (let i = 0; i < order.length; i += batchSize) {
      const chunk = order.slice(i, i + batchSize);
      const batch = padBatch(
        chunk.map((id) => {
          const raw = this.features(id);
          const features = norm === "none" ? raw : norm === "utterance" ? cmvnUtterance(raw) : norm.apply(raw);
          return { features, labels: this.labels(id) };
        }),
      );
      yield { ...batch, ids: chunk };
    }
  }
}
