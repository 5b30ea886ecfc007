/**
 * The power spectrum of one real frame: an in-place iterative radix-2 FFT in float64 (the frame is small,
 * 512 points, and precision matters more than speed for matching the numpy reference).
 */

/** Precomputed bit-reversal and twiddles for one power-of-two size. */
export class PowerSpectrum {
  readonly size: number;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly rev: Uint32Array;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;

  /** @throws RangeError when `size` is not a power of two >= 2. */
  constructor(size: number) {
    if (!Number.isInteger(size) || size < 2 || (size & (size - 1)) !== 0) {
      throw new RangeError(`PowerSpectrum: size must be a power of two >= 2, got ${size}`);
    }
    this.size = size;
    this.re = new Float64Array(size);
    this.im = new Float64Array(size);
    this.rev = new Uint32Array(size);
    const bits = Math.log2(size);
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.rev[i] = r;
    }
    this.cos = new Float64Array(size / 2);
    this.sin = new Float64Array(size / 2);
    for (let k = 0; k < size / 2; k++) {
      this.cos[k] = Math.cos((2 * Math.PI * k) / size);
      this.sin[k] = -Math.sin((2 * Math.PI * k) / size);
    }
  }

  /**
   * Writes |X_k|² / size for k = 0..size/2 into `out` (`[size/2 + 1]`), X being the DFT of `frame`
   * zero-padded to `size` (`frame.length` must be <= size).
   */
  compute(frame: Float64Array, out: Float64Array): void {
    const { re, im, rev, size } = this;
    re.fill(0);
    im.fill(0);
    for (let i = 0; i < frame.length; i++) re[rev[i]!] = frame[i]!;
    for (let half = 1; half < size; half *= 2) {
      const stride = size / (2 * half);
      for (let start = 0; start < size; start += 2 * half) {
        for (let j = 0; j < half; j++) {
          const wr = this.cos[j * stride]!;
          const wi = this.sin[j * stride]!;
          const a = start + j;
          const b = a + half;
          const tr = re[b]! * wr - im[b]! * wi;
          const ti = re[b]! * wi + im[b]! * wr;
          re[b] = re[a]! - tr;
          im[b] = im[a]! - ti;
          re[a] = re[a]! + tr;
          im[a] = im[a]! + ti;
        }
      }
    }
    for (let k = 0; k <= size / 2; k++) out[k] = (re[k]! * re[k]! + im[k]! * im[k]!) / size;
  }
}
