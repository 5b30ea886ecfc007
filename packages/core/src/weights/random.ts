/**
 * Seeded pseudo-random numbers for weight initialization and shuffling: xoshiro128** (Blackman & Vigna) seeded
 * through splitmix32, so runs are reproducible across machines, Node and browsers.
 */

/** A source of pseudo-random numbers. */
export interface Rng {
  /** A uniform float in [0, 1) with 32 random bits. */
  next(): number;
  /** A standard normal sample (mean 0, variance 1). */
  normal(): number;
  /**
   * A uniform integer in 0..n−1, unbiased.
   * @throws RangeError when `n` is not an integer in 1..2³².
   */
  int(n: number): number;
  /** An independent generator split off this one (advances this one). */
  fork?(): Rng;
}

/** The generator made by {@link createRng}: an {@link Rng} that can always be split. */
export interface SeededRng extends Rng {
  fork(): SeededRng;
}

const TWO_32 = 4294967296;

/** MurmurHash3's 32-bit finalizer: a bijection that spreads every input bit over the output. */
function fmix32(x: number): number {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) | 0;
}

const GOLDEN = 0x9e3779b9 | 0;

/** splitmix32: turns one 32-bit word into a stream of well-mixed words (used only to fill the state). */
function splitmix32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + GOLDEN) | 0;
    return fmix32(state);
  };
}

/** The 32 low and 32 high bits of a float64, so that every finite number (1.5, −3, 2⁴⁰) is its own seed. */
function seedWords(seed: number): [number, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, seed === 0 ? 0 : seed, true); // −0 and 0 are the same seed
  return [view.getUint32(0, true), view.getUint32(4, true)];
}

/** Absorbs the seed words and the stream name (UTF-16 code units, then its length) into one 32-bit word. */
function absorb(words: readonly number[], stream: string): number {
  let h = 0;
  const feed = (w: number) => {
    h = fmix32((h ^ w) + GOLDEN);
  };
  for (const w of words) feed(w);
  for (let i = 0; i < stream.length; i++) feed(stream.charCodeAt(i));
  feed(stream.length);
  return h;
}

function xoshiro128ss(s0: number, s1: number, s2: number, s3: number): SeededRng {
  let a = s0 | 0;
  let b = s1 | 0;
  let c = s2 | 0;
  let d = s3 | 0;
  if ((a | b | c | d) === 0) a = 1; // the all-zero state is a fixed point
  let spare: number | undefined;

  const nextU32 = (): number => {
    const r = Math.imul(b, 5);
    const result = Math.imul((r << 7) | (r >>> 25), 9);
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = (d << 11) | (d >>> 21);
    return result >>> 0;
  };

  const rng: SeededRng = {
    next: () => nextU32() / TWO_32,
    normal: () => {
      if (spare !== undefined) {
        const z = spare;
        spare = undefined;
        return z;
      }
      // Box–Muller; 1 − u keeps the logarithm's argument in (0, 1].
      const radius = Math.sqrt(-2 * Math.log(1 - nextU32() / TWO_32));
      const angle = 2 * Math.PI * (nextU32() / TWO_32);
      spare = radius * Math.sin(angle);
      return radius * Math.cos(angle);
    },
    int: (n: number) => {
      if (!Number.isInteger(n) || n < 1 || n > TWO_32) {
        throw new RangeError(`Rng.int: n must be an integer in 1..2^32, got ${n}`);
      }
      // Rejection sampling: draws at or above the largest multiple of n would favour small results.
      const limit = TWO_32 - (TWO_32 % n);
      for (;;) {
        const u = nextU32();
        if (u < limit) return u % n;
      }
    },
    fork: () => {
      const mix = splitmix32(nextU32() ^ fmix32(nextU32()));
      return xoshiro128ss(mix(), mix(), mix(), mix());
    },
  };
  return rng;
}

/**
 * A deterministic generator (xoshiro128**). The state is filled by splitmix32 from one word that absorbs the
 * float64 bits of `seed` and the optional `stream` name, so `createRng(1, "a")` and `createRng(1, "b")` are
 * independent streams of the same seed (used to give each weight its own stream).
 * @throws RangeError when `seed` is not a finite number.
 */
export function createRng(seed: number, stream = ""): SeededRng {
  if (typeof seed !== "number" || !Number.isFinite(seed)) {
    throw new RangeError(`createRng: seed must be a finite number, got ${String(seed)}`);
  }
  const mix = splitmix32(absorb(seedWords(seed), stream));
  return xoshiro128ss(mix(), mix(), mix(), mix());
}

/**
 * Shuffles `array` in place (Fisher–Yates, every permutation equally likely) and returns it.
 */
export function shuffle<T>(array: T[], rng: Pick<Rng, "int">): T[] {
  for (let i = array.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = array[i] as T;
    array[i] = array[j] as T;
    array[j] = tmp;
  }
  return array;
}
