/** Test-only helpers: committed fixtures and real audio (Node). Outside src/, so never built or exported. */
import { readFileSync } from "node:fs";
import { readWav } from "../src/wav.js";

/** Parsed JSON of `packages/speech/fixtures/<name>`. */
export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8")) as T;
}

/** Samples of a committed recording `packages/speech/data/audio/<id>.wav`. */
export function realAudio(id: string): Float32Array {
  return readWav(readFileSync(new URL(`../data/audio/${id}.wav`, import.meta.url))).samples;
}

/** Text of `packages/speech/data/audio/<id>.phn`. */
export function realPhn(id: string): string {
  return readFileSync(new URL(`../data/audio/${id}.phn`, import.meta.url), "utf8");
}

/**
 * The largest error of `actual` against `expected` ([T, D] row-major), each relative to
 * |expected| + the RMS of its column (coefficients that cross zero make a pure relative error meaningless).
 */
export function maxColumnRelativeError(actual: Float32Array, expected: readonly (readonly number[])[]): number {
  const D = expected[0]?.length ?? 0;
  const rms = new Array<number>(D).fill(0);
  for (const row of expected) for (const [d, v] of row.entries()) rms[d] = rms[d]! + v * v;
  for (let d = 0; d < D; d++) rms[d] = Math.sqrt(rms[d]! / expected.length);
  let worst = 0;
  for (const [t, row] of expected.entries()) {
    for (const [d, v] of row.entries())
      worst = Math.max(worst, Math.abs(actual[t * D + d]! - v) / (Math.abs(v) + rms[d]!));
  }
  return worst;
}
