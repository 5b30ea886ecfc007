/** The fixed sizes of Silero VAD v5 at 16 kHz (the official wrapper's constants). */

/** The only sample rate the 16 kHz model reads. */
export const SAMPLE_RATE = 16000;
/** New samples per call: 32 ms at 16 kHz. */
export const CHUNK_SAMPLES = 512;
/** Samples of the previous chunk prepended to each call (the wrapper's context). */
export const CONTEXT_SAMPLES = 64;
/** Samples the model reads per call: context + chunk. */
export const WINDOW_SAMPLES = CONTEXT_SAMPLES + CHUNK_SAMPLES;
/** LSTM units; the state is `[2, batch, UNITS]` (h then c). */
export const UNITS = 128;
