/**
 * Deterministic, seeded train/valid/test split by utterance (never by frame, so no utterance leaks across sets).
 */
import { SpeechError } from "./errors.js";

/** A small seeded PRNG (mulberry32): uniform floats in [0, 1). Same seed, same sequence, on every platform. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** In-place Fisher–Yates shuffle driven by `random`. */
export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Options for {@link splitUtterances}. */
export interface SplitOptions {
  /** PRNG seed (an integer). */
  readonly seed: number;
  /** Fraction of utterances for validation, default 0.1. */
  readonly valid?: number;
  /** Fraction of utterances for test, default 0.1. */
  readonly test?: number;
}

/** Utterance ids per set, each sorted. */
export interface Split {
  readonly train: string[];
  readonly valid: string[];
  readonly test: string[];
}

/**
 * Splits utterance ids into train/valid/test. The ids are sorted first, so the result depends only on the
 * set of ids and the seed, not on their order. Sizes: test = round(n·test), valid = round(n·valid), the rest
 * train.
 * @throws SpeechError `SPLIT_BAD_FRACTIONS` for fractions outside [0, 1] or summing above 1, a non-integer
 *   seed, or duplicate ids.
 */
export function splitUtterances(ids: readonly string[], options: SplitOptions): Split {
  const valid = options.valid ?? 0.1;
  const test = options.test ?? 0.1;
  if (!(valid >= 0 && test >= 0 && valid + test <= 1)) {
    throw new SpeechError(
      "SPLIT_BAD_FRACTIONS",
      `splitUtterances: valid ${valid} and test ${test} must be >= 0 and sum to <= 1`,
    );
  }
  if (!Number.isInteger(options.seed)) {
    throw new SpeechError("SPLIT_BAD_FRACTIONS", `splitUtterances: seed must be an integer, got ${options.seed}`);
  }
  const sorted = [...ids].sort();
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) {
      throw new SpeechError("SPLIT_BAD_FRACTIONS", `splitUtterances: utterance id "${sorted[i]}" appears twice`);
    }
  }
  const order = shuffleInPlace(sorted, seededRandom(options.seed));
  const nTest = Math.round(order.length * test);
  const nValid = Math.min(order.length - nTest, Math.round(order.length * valid));
  return {
    test: order.slice(0, nTest).sort(),
    valid: order.slice(nTest, nTest + nValid).sort(),
    train: order.slice(nTest + nValid).sort(),
  };
}
