/**
 * `SileroVad`: Silero VAD streamed in 32 ms chunks on any backend, with the official wrapper's behaviour: each
 * call reads 64 samples of context (the previous chunk's tail; zeros at the start) plus 512 new samples, and
 * carries the LSTM state `[2, 1, 128]` to the next call.
 */
import type { Backend, Executable, Tensor } from "@recurrent/core";
import { CHUNK_SAMPLES, CONTEXT_SAMPLES, SAMPLE_RATE, UNITS, WINDOW_SAMPLES } from "./constants.js";
import { SileroError } from "./errors.js";
import { SILERO_IDS } from "./graph.js";
import { chunkCount } from "./labels.js";
import { type SegmentOptions, type SpeechSegment, speechSegments } from "./segments.js";
import type { SileroModel } from "./weights.js";

/** What {@link SileroVad.detect} returns. */
export interface Detection {
  /** One speech probability per 512-sample chunk (the last chunk zero-padded). */
  readonly probabilities: Float32Array;
  /** Speech segments in samples (see {@link speechSegments}). */
  readonly segments: SpeechSegment[];
}

/** Checks a sample rate: only 16 kHz is read (the 16k model has no 8 kHz branch). */
export function checkSampleRate(sampleRate: number): void {
  if (sampleRate !== SAMPLE_RATE) {
    throw new SileroError(
      "BAD_SAMPLE_RATE",
      `the 16 kHz Silero VAD model reads ${SAMPLE_RATE} Hz audio, got ${sampleRate} Hz (8 kHz needs the 8k model, not supported here); hint: resample first, e.g. resample(samples, ${sampleRate}, 16000) from @recurrent/speech`,
    );
  }
}

/** A streaming Silero VAD over a compiled full model ({@link sileroGraph}). One stream (batch 1) at a time. */
export class SileroVad {
  readonly #exe: Executable;
  /** The last {@link CONTEXT_SAMPLES} samples seen (zeros after a reset). */
  readonly #context = new Float32Array(CONTEXT_SAMPLES);
  #h = new Float32Array(UNITS);
  #c = new Float32Array(UNITS);

  /**
   * @param executable the full Silero graph compiled on a backend (see {@link SileroVad.create}).
   * @throws SileroError BAD_WEIGHTS when the model lacks Silero's inputs (`input`, `h0`, `c0`) or output.
   */
  constructor(executable: Executable) {
    const ids = new Set(executable.model.nodes.map((n) => n.id));
    const missing = [SILERO_IDS.input, SILERO_IDS.h0, SILERO_IDS.c0, SILERO_IDS.lstm, SILERO_IDS.output].filter(
      (id) => !ids.has(id),
    );
    if (missing.length > 0) {
      throw new SileroError(
        "BAD_WEIGHTS",
        `SileroVad needs the full Silero graph (sileroGraph()); model "${executable.model.name}" has no node ${missing.map((m) => `"${m}"`).join(", ")}`,
      );
    }
    this.#exe = executable;
  }

  /**
   * Compiles the model on `backend` and wraps it.
   * @example const vad = await SileroVad.create(jsBackend(), sileroFromSafetensors(bytes));
   */
  static async create(backend: Backend, silero: SileroModel): Promise<SileroVad> {
    return new SileroVad(await backend.compile(silero.model, silero.weights));
  }

  /** Forgets the context and the LSTM state: the next chunk starts a new stream. */
  reset(): void {
    this.#context.fill(0);
    this.#h = new Float32Array(UNITS);
    this.#c = new Float32Array(UNITS);
  }

  /** The LSTM state `[2, 1, 128]` (h then c), as the ONNX model's `stateN`. A copy. */
  get state(): Tensor {
    const data = new Float32Array(2 * UNITS);
    data.set(this.#h);
    data.set(this.#c, UNITS);
    return { shape: [2, 1, UNITS], data };
  }

  /**
   * The speech probability of the next 32 ms of a 16 kHz stream.
   * @param chunk exactly 512 samples in [-1, 1].
   * @returns a probability in [0, 1].
   * @throws SileroError BAD_CHUNK when the chunk is not 512 samples.
   */
  async process(chunk: Float32Array): Promise<number> {
    if (chunk.length !== CHUNK_SAMPLES) {
      throw new SileroError(
        "BAD_CHUNK",
        `SileroVad.process reads chunks of ${CHUNK_SAMPLES} samples (32 ms at 16 kHz), got ${chunk.length}; hint: at 8 kHz the 16k model cannot be used, resample to 16 kHz first`,
      );
    }
    const window = new Float32Array(WINDOW_SAMPLES);
    window.set(this.#context);
    window.set(chunk, CONTEXT_SAMPLES);
    const out = await this.#exe.run(
      {
        [SILERO_IDS.input]: { shape: [WINDOW_SAMPLES, 1, 1], data: window },
        [SILERO_IDS.h0]: { shape: [1, 1, UNITS], data: this.#h },
        [SILERO_IDS.c0]: { shape: [1, 1, UNITS], data: this.#c },
      },
      { fetch: [SILERO_IDS.output, SILERO_IDS.h, SILERO_IDS.c] },
    );
    this.#h = Float32Array.from(out[SILERO_IDS.h]!.data);
    this.#c = Float32Array.from(out[SILERO_IDS.c]!.data);
    this.#context.set(chunk.subarray(CHUNK_SAMPLES - CONTEXT_SAMPLES));
    return out[SILERO_IDS.output]!.data[0]!;
  }

  /**
   * Runs a whole recording from a fresh state: every 512-sample chunk's probability (the last one zero-padded)
   * and the speech segments. The stream is reset before and left at the end of the file.
   * @param samples mono audio in [-1, 1].
   * @param sampleRate must be 16000.
   * @throws SileroError BAD_SAMPLE_RATE for any other rate (8 kHz included); BAD_OPTIONS from the segment options.
   */
  async detect(samples: Float32Array, sampleRate: number, options: SegmentOptions = {}): Promise<Detection> {
    checkSampleRate(sampleRate);
    this.reset();
    const chunks = chunkCount(samples.length);
    const probabilities = new Float32Array(chunks);
    const chunk = new Float32Array(CHUNK_SAMPLES);
    for (let i = 0; i < chunks; i++) {
      chunk.fill(0);
      chunk.set(samples.subarray(i * CHUNK_SAMPLES, (i + 1) * CHUNK_SAMPLES));
      probabilities[i] = await this.process(chunk);
    }
    return { probabilities, segments: speechSegments(probabilities, samples.length, options) };
  }

  /** Releases the compiled model. */
  async dispose(): Promise<void> {
    await this.#exe.dispose();
  }
}
