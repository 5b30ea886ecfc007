import { describe, expect, test } from "vitest";
import { resample } from "./resample.js";

const sine = (n: number, rate: number, hz: number, amp = 0.5) =>
  Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / rate));

/** Max |a − b| over the interior (the first/last `margin` samples ramp in from the zero padding). */
function interiorError(a: Float32Array, b: Float32Array, margin: number): number {
  let worst = 0;
  for (let i = margin; i < Math.min(a.length, b.length) - margin; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

const rms = (x: Float32Array, margin: number) => {
  let s = 0;
  for (let i = margin; i < x.length - margin; i++) s += x[i]! ** 2;
  return Math.sqrt(s / (x.length - 2 * margin));
};

describe("windowed-sinc resampling of sines (compared with the sine sampled at the new rate)", () => {
  test.each([
    [44100, 1000],
    [48000, 3000],
    [22050, 5000],
    [8000, 1000],
    [11025, 3000],
  ])("%i Hz → 16 kHz, %i Hz tone", (from, hz) => {
    const out = resample(sine(from, from, hz), from, 16000);
    expect(out.length).toBe(16000);
    expect(interiorError(out, sine(16000, 16000, hz), 200)).toBeLessThan(2e-4);
  });

  test("16 kHz → 8 kHz keeps a 1 kHz tone", () => {
    expect(interiorError(resample(sine(16000, 16000, 1000), 16000, 8000), sine(8000, 8000, 1000), 100)).toBeLessThan(
      2e-4,
    );
  });

  test("a tone above the new Nyquist is removed, not aliased (48 kHz → 16 kHz, 10 kHz tone)", () => {
    const out = resample(sine(48000, 48000, 10000), 48000, 16000);
    // the aliased tone would sit at 6 kHz with RMS 0.35; require > 60 dB attenuation
    expect(rms(out, 200)).toBeLessThan(0.35e-3);
  });

  test("length is ceil(N·to/from); equal rates copy", () => {
    expect(resample(new Float32Array(441), 44100, 16000).length).toBe(160);
    expect(resample(new Float32Array(442), 44100, 16000).length).toBe(161);
    const x = Float32Array.from([1, 2, 3]);
    const y = resample(x, 16000, 16000);
    expect([...y]).toEqual([1, 2, 3]);
    expect(y).not.toBe(x);
  });

  test("bad rates and options throw RESAMPLE_BAD_RATE", () => {
    expect(() => resample(new Float32Array(4), 0, 16000)).toThrowError(/RESAMPLE_BAD_RATE: resample: fromRate/);
    expect(() => resample(new Float32Array(4), 16000, Number.NaN)).toThrowError(/RESAMPLE_BAD_RATE: resample: toRate/);
    expect(() => resample(new Float32Array(4), 8000, 16000, { rolloff: 1.5 })).toThrowError(/RESAMPLE_BAD_RATE/);
  });

  test("a WAV that declares 1 Hz is refused instead of growing 16,000×; 768 kHz → 16 kHz (48×) still works", () => {
    expect(() => resample(new Float32Array(100), 1, 16000)).toThrowError(/RESAMPLE_RATIO: resample: 1 Hz → 16000 Hz/);
    expect(() => resample(new Float32Array(100), 16000 * 65, 16000)).toThrowError(/RESAMPLE_RATIO/);
    expect(resample(new Float32Array(4800), 768000, 16000)).toHaveLength(100);
  });
});
