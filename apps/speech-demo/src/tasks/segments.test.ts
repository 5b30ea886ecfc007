/** predict's post-processing on hand-made posteriors, every expected value counted by hand. */
import { describe, expect, test } from "vitest";
import {
  argmaxRows,
  boundary,
  frameCentre,
  medianFilter,
  segmentsOf,
  smoothRuns,
  softmaxRows,
  topK,
} from "./segments.js";

describe("predict post-processing", () => {
  test("frame centres and segment boundaries: frame t is centred at t·10 ms + 12.5 ms", () => {
    expect(frameCentre(0)).toBeCloseTo(0.0125, 12);
    expect(frameCentre(3)).toBeCloseTo(0.0425, 12);
    expect(boundary(3)).toBeCloseTo(0.0375, 12); // half a step before frame 3's centre
  });

  test("softmax rows sum to 1; equal logits give equal posteriors", () => {
    const p = softmaxRows(Float32Array.from([0, 0, Math.log(3), 0]), 2);
    expect(p[0]).toBe(0.5);
    expect(p[1]).toBe(0.5);
    expect(p[2]).toBeCloseTo(0.75, 6);
    expect(p[3]).toBeCloseTo(0.25, 6);
  });

  test("median filter per class over 3 frames (edges shrink the window)", () => {
    // one class, values 0, 10, 2, 8, 4 → windows {0,10} {0,10,2} {10,2,8} {2,8,4} {8,4}
    expect([...medianFilter(Float32Array.from([0, 10, 2, 8, 4]), 1, 3)]).toEqual([5, 2, 8, 4, 6]);
  });

  test("minimum duration: the shortest short run joins its longer neighbour, repeatedly", () => {
    // runs: a×3 b×1 a×2 c×2 d×4 → with min 3: b (1 frame, the shortest) joins its longer neighbour a×3 → a×6 c×2
    // d×4; then c (2) joins its longer neighbour a×6 → a×8 d×4
    const labels = [0, 0, 0, 1, 0, 0, 2, 2, 3, 3, 3, 3];
    expect(smoothRuns(labels, 1).map((r) => [r.label, r.start, r.end])).toHaveLength(5);
    expect(smoothRuns(labels, 3).map((r) => [r.label, r.start, r.end])).toEqual([
      [0, 0, 8],
      [3, 8, 12],
    ]);
  });

  test("segments carry the mean posterior of their label; top-k is sorted", () => {
    // 3 frames, 2 classes: posteriors of class 0: 0.9, 0.7, 0.2
    const post = Float32Array.from([0.9, 0.1, 0.7, 0.3, 0.2, 0.8]);
    const runs = smoothRuns(argmaxRows(post, 2), 1);
    const [s0, s1] = segmentsOf(runs, post, 2, ["x", "y"]);
    expect(s0).toMatchObject({ label: "x", frames: [0, 2] });
    expect(s0!.confidence).toBeCloseTo(0.8, 6);
    expect(s0!.start).toBeCloseTo(0.0075, 12);
    expect(s0!.end).toBe(s1!.start);
    expect(s1!.end).toBeCloseTo(0.0375, 12);
    expect(topK(post, 2, 2, 2).map((c) => c.label)).toEqual([1, 0]);
  });
});
