/**
 * Whole-utterance inference in padded batches: utterances are grouped by length so that a batch holds at most
 * `frameBudget` padded frames (the windowed FFN's 1599-wide window makes big batches costly).
 */
import { type Executable, padSequences } from "@recurrent/core";
import { INPUT, OUTPUT } from "../models.js";

/**
 * Runs `exe` over each sequence (`[T_i, inputDim]` row-major) and returns each output `[T_i, O]` row-major.
 * @throws BackendError from the executable.
 */
export async function runUtterances(
  exe: Executable,
  sequences: readonly Float32Array[],
  inputDim: number,
  frameBudget = 8000,
): Promise<Float32Array[]> {
  const order = sequences.map((s, i) => ({ i, T: s.length / inputDim })).sort((a, b) => a.T - b.T);
  const results: Float32Array[] = new Array(sequences.length);
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    while (end < order.length && order[end]!.T * (end + 1 - start) <= frameBudget) end++;
    const group = order.slice(start, end);
    const { x, lengths } = padSequences(
      group.map((g) => sequences[g.i]!),
      inputDim,
    );
    const y = (await exe.run({ [INPUT]: x, lengths }))[OUTPUT]!;
    const B = group.length;
    const O = y.shape[2]!;
    group.forEach((g, b) => {
      const out = new Float32Array(g.T * O);
      for (let t = 0; t < g.T; t++) out.set(y.data.subarray((t * B + b) * O, (t * B + b + 1) * O), t * O);
      results[g.i] = out;
    });
    start = end;
  }
  return results;
}

/** Index of the largest of `n` values starting at `offset`. */
export function argmax(values: Float32Array, offset: number, n: number): number {
  let best = 0;
  for (let c = 1; c < n; c++) if (values[offset + c]! > values[offset + best]!) best = c;
  return best;
}
