import { resample } from "@recurrent/speech";
import { describe, expect, test } from "vitest";
import { StreamResampler } from "./stream-resampler.js";

/** A deterministic test signal: two tones and a seeded noise floor. */
function signal(n: number, rate: number): Float32Array {
  let seed = 7;
  const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.05;
  return Float32Array.from(
    { length: n },
    (_, i) =>
      0.4 * Math.sin((2 * Math.PI * 440 * i) / rate) + 0.2 * Math.sin((2 * Math.PI * 3100 * i) / rate) + noise(),
  );
}

describe("StreamResampler", () => {
  // The reference is the library's whole-buffer resample; chunk sizes include 1, the worklet's 128 and odd ones.
  test.each([
    [44100, 16000],
    [48000, 16000],
    [22050, 16000],
    [8000, 16000],
    [16000, 16000],
  ])("%d → %d Hz in blocks of any size equals resample() of the whole signal", (from, to) => {
    const x = signal(Math.round(from * 0.37), from);
    const whole = resample(x, from, to);
    const r = new StreamResampler(from, to);
    const parts: number[] = [];
    const sizes = [1, 128, 7, 441, 3000, 128, 50];
    for (let at = 0, k = 0; at < x.length; k++) {
      const size = sizes[k % sizes.length]!;
      parts.push(...r.push(x.subarray(at, at + size)));
      at += size;
    }
    parts.push(...r.end());
    expect(parts.length).toBe(whole.length);
    const maxDiff = parts.reduce((m, v, i) => Math.max(m, Math.abs(v - whole[i]!)), 0);
    expect(maxDiff).toBeLessThan(1e-6);
  });

  test("after end() it starts a new stream", () => {
    const x = signal(5000, 48000);
    const r = new StreamResampler(48000, 16000);
    r.push(x);
    r.end();
    const again = [...r.push(x), ...r.end()];
    expect(again).toEqual([...resample(x, 48000, 16000)]);
  });

  test("rejects a rate that is not a positive integer, naming it", () => {
    expect(() => new StreamResampler(44100.5, 16000)).toThrow("fromRate must be a positive integer of Hz, got 44100.5");
    expect(() => new StreamResampler(48000, 0)).toThrow("toRate must be a positive integer of Hz, got 0");
  });
});
