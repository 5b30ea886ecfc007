/**
 * The reference: an ONNX file with Silero's original contract (`input [B, 576]`, `state [2, B, 128]`, `sr` →
 * `output [B, 1]`, `stateN`) run chunk by chunk in onnxruntime-node, the way the official Python wrapper does
 * (64 samples of context, zeros at the start; state carried).
 */
import * as ort from "onnxruntime-node";
import { CHUNK_SAMPLES, CONTEXT_SAMPLES, chunkCount, UNITS, WINDOW_SAMPLES } from "../src/index.js";

/** One onnxruntime session on one thread (the official wrapper's setting). */
export async function ortSession(bytes: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
}

/** One call of the original contract. */
export async function ortCall(
  session: ort.InferenceSession,
  window: Float32Array,
  state: Float32Array,
): Promise<{ probability: number; state: Float32Array }> {
  const out = await session.run({
    input: new ort.Tensor("float32", window, [1, WINDOW_SAMPLES]),
    state: new ort.Tensor("float32", state, [2, 1, UNITS]),
    sr: new ort.Tensor("int64", BigInt64Array.from([16000n]), []),
  });
  return {
    probability: (out.output!.data as Float32Array)[0]!,
    state: Float32Array.from(out.stateN!.data as Float32Array),
  };
}

/** Every 512-sample chunk's probability for a whole recording (the last chunk zero-padded). */
export async function ortProbabilities(session: ort.InferenceSession, samples: Float32Array): Promise<Float32Array> {
  const chunks = chunkCount(samples.length);
  const probs = new Float32Array(chunks);
  let state: Float32Array = new Float32Array(2 * UNITS);
  const window = new Float32Array(WINDOW_SAMPLES);
  for (let i = 0; i < chunks; i++) {
    window.copyWithin(0, CHUNK_SAMPLES); // the previous chunk's last 64 samples become the context
    window.fill(0, CONTEXT_SAMPLES);
    window.set(samples.subarray(i * CHUNK_SAMPLES, (i + 1) * CHUNK_SAMPLES), CONTEXT_SAMPLES);
    const out = await ortCall(session, window, state);
    probs[i] = out.probability;
    state = out.state;
  }
  return probs;
}
