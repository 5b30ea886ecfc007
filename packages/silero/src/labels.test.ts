import { describe, expect, it } from "vitest";
import { chunkCount, chunkLabels } from "./labels.js";

describe("chunkLabels", () => {
  it("labels a chunk speech when more than half of its 512 samples are speech", () => {
    const segments = [
      { start: 0, end: 300, label: "sil" },
      { start: 300, end: 1100, label: "aa" }, // chunk 0: 212 speech samples, chunk 1: 512, chunk 2: 76
      { start: 1100, end: 1400, label: "pau" },
    ];
    expect([...chunkLabels(segments, 1400)]).toEqual([0, 1, 0]);
  });

  it("needs strictly more than 256 samples (the recipe's `> 0.5`), and padding counts as non-speech", () => {
    expect([...chunkLabels([{ start: 0, end: 256, label: "s" }], 512)]).toEqual([0]);
    expect([...chunkLabels([{ start: 0, end: 257, label: "s" }], 512)]).toEqual([1]);
    // 600 samples → 2 chunks; the second holds 88 real speech samples and 424 of zero padding.
    expect([...chunkLabels([{ start: 0, end: 600, label: "s" }], 600)]).toEqual([1, 0]);
    expect(chunkCount(0)).toBe(0);
    expect(chunkCount(513)).toBe(2);
  });

  it("treats sil, pau, h# and uncovered samples as non-speech; other labels can be chosen", () => {
    const segments = [{ start: 0, end: 512, label: "h#" }];
    expect([...chunkLabels(segments, 1024)]).toEqual([0, 0]);
    expect([...chunkLabels(segments, 1024, { nonSpeech: ["sil"] })]).toEqual([1, 0]);
  });

  it("refuses segments outside the audio", () => {
    expect(() => chunkLabels([{ start: 10, end: 2000, label: "aa" }], 1000)).toThrow(
      /segment 0 \("aa"\) is \[10, 2000\)/,
    );
    expect(() => chunkLabels([], -1)).toThrow(/non-negative integer, got -1/);
  });
});
