import { describe, expect, it } from "vitest";
import { speechSegments } from "./segments.js";

const run = (parts: readonly (readonly [number, number])[]) => parts.flatMap(([p, n]) => Array<number>(n).fill(p));

// Chunks are 512 samples; defaults: 100 ms silence = 1600 samples, 250 ms speech = 4000, 30 ms pad = 480.
describe("speechSegments (get_speech_timestamps in simple form)", () => {
  it("keeps a long segment, drops a short one, pads both sides (hand-computed)", () => {
    const probs = run([
      [0.1, 5],
      [0.9, 10], // speech from chunk 5 (2560); silence from chunk 15 (7680) lasts ≥ 1600 by chunk 19
      [0.1, 5],
      [0.9, 2], // 1024 samples of speech: shorter than 4000, dropped
      [0.1, 10],
    ]);
    expect(speechSegments(probs)).toEqual([{ start: 2560 - 480, end: 7680 + 480 }]);
  });

  it("closes a segment at the end of the audio and splits the gap between close segments", () => {
    const probs = run([
      [0.9, 10],
      [0.1, 5], // silence from 5120
      [0.9, 10], // speech again from 7680 to the end (12800)
    ]);
    expect(speechSegments(probs)).toEqual([
      { start: 0, end: 5600 },
      { start: 7200, end: 12800 },
    ]);
    // With 100 ms padding (1600 samples) the 2560-sample gap is under 2·1600: each side takes half.
    expect(speechSegments(probs, 12800, { speechPadMs: 100 })).toEqual([
      { start: 0, end: 6400 },
      { start: 6400, end: 12800 },
    ]);
  });

  it("does not end speech on chunks between negThreshold and threshold", () => {
    const probs = run([
      [0.9, 10],
      [0.4, 10], // ≥ 0.35: still speech
      [0.9, 2],
    ]);
    expect(speechSegments(probs)).toEqual([{ start: 0, end: 22 * 512 }]);
  });

  it("refuses bad options and a sample count that does not fit the chunks", () => {
    expect(() => speechSegments([0.5], 512, { threshold: 1.5 })).toThrow(/threshold must be in \[0, 1\], got 1.5/);
    expect(() => speechSegments([0.5], 2000)).toThrow(/samples = 2000 does not fit 1 chunks/);
  });
});
