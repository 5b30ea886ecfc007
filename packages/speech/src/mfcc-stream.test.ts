import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { realAudio } from "../test/helpers.js";
import { mfcc, staticMfcc } from "./mfcc.js";
import { FRAME_LENGTH, FRAME_STEP } from "./mfcc-recipe.js";
import { MfccStream } from "./mfcc-stream.js";

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Feeds `samples` in chunks of the given sizes (cycled), then ends the stream. */
function streamed(stream: MfccStream, samples: Float32Array, sizes: number[]): Float32Array {
  const parts: Float32Array[] = [];
  let at = 0;
  for (let i = 0; at < samples.length; i++) {
    const n = sizes[i % sizes.length]!;
    parts.push(stream.push(samples.subarray(at, at + n)));
    at += n;
  }
  parts.push(stream.end());
  return concat(parts);
}

/** First index where two arrays differ (NaN-safe bitwise), or -1 when identical; a fast stand-in for toEqual. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return x.findIndex((v, i) => v !== y[i]);
}

const audio = realAudio("digits-7");
const long = realAudio("all-circuits-busy-now");

describe("streaming MFCC equals batch MFCC bit for bit", () => {
  test("MFCC-39, random chunk sizes (fast-check)", () => {
    const batch = mfcc(audio).data;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1500 }), { minLength: 1, maxLength: 12 }), (sizes) => {
        if (!sizes.some((s) => s > 0)) sizes.push(1);
        expect(firstDifference(streamed(new MfccStream(), audio, sizes), batch)).toBe(-1);
      }),
      { numRuns: 40 },
    );
  });

  test("13 statics only (causal), random chunk sizes (fast-check)", () => {
    const batch = staticMfcc(audio).data;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 8 }), (sizes) => {
        expect(firstDifference(streamed(new MfccStream({ deltas: false }), audio, sizes), batch)).toBe(-1);
      }),
      { numRuns: 40 },
    );
  });

  test("a long utterance in 10 ms chunks (old rows are dropped) and a reused stream", () => {
    const stream = new MfccStream();
    expect(firstDifference(streamed(stream, long, [160]), mfcc(long).data)).toBe(-1);
    expect(firstDifference(streamed(stream, audio, [333]), mfcc(audio).data)).toBe(-1); // end() reset it
  });

  test("shorter than one frame gives nothing; exactly one frame gives one", () => {
    const stream = new MfccStream();
    expect(streamed(stream, audio.subarray(0, 399), [100]).length).toBe(0);
    expect(firstDifference(streamed(stream, audio.subarray(0, 400), [400]), mfcc(audio.subarray(0, 400)).data)).toBe(
      -1,
    );
  });
});

describe("latency is as documented", () => {
  test("39-dim frame t is out once sample 160t + 1040 is in (4 frames after its statics)", () => {
    const stream = new MfccStream();
    expect(stream.latencyFrames).toBe(4);
    expect(stream.dim).toBe(39);
    let out = 0;
    for (let n = 1; n <= 3000; n++) {
      out += stream.push(audio.subarray(n - 1, n)).length / 39;
      // statics ready: frames whose window [160t, 160t + 400) is complete
      const staticsReady = n < FRAME_LENGTH ? 0 : 1 + Math.floor((n - FRAME_LENGTH) / FRAME_STEP);
      expect(out).toBe(Math.max(0, staticsReady - 4));
    }
    // frame 0 needed samples up to 160·0 + 1040
    const fresh = new MfccStream();
    expect(fresh.push(audio.subarray(0, 1039)).length).toBe(0);
    expect(fresh.push(audio.subarray(1039, 1040)).length).toBe(39);
  });

  test("statics-only stream has no look-ahead", () => {
    const stream = new MfccStream({ deltas: false });
    expect(stream.latencyFrames).toBe(0);
    expect(stream.push(audio.subarray(0, 400)).length).toBe(13);
    expect(stream.push(audio.subarray(400, 560)).length).toBe(13);
    expect(stream.end().length).toBe(0);
  });

  test("NaN in a chunk throws MFCC_BAD_INPUT and leaves the stream usable", () => {
    const stream = new MfccStream();
    const bad = Float32Array.from([0, Number.NaN]);
    expect(() => stream.push(bad)).toThrowError(/MFCC_BAD_INPUT/);
    expect(firstDifference(streamed(stream, audio, [1000]), mfcc(audio).data)).toBe(-1);
  });
});
