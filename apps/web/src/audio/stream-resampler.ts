/**
 * Streaming resampling with `@recurrent/speech`'s `resample` (windowed sinc): audio arrives in blocks of any
 * size (a microphone, a file read piece by piece) and the output equals `resample(all samples)` up to float
 * rounding, with bounded memory.
 *
 * How: output m sits at input instant m·from/to. Every `period` = from/gcd(from, to) input samples the output
 * grid lines up with the input grid again, so `resample` run on a segment that starts at a multiple of `period`
 * puts its outputs exactly on the global grid. Each call resamples the kept history plus the new block and takes
 * only the outputs whose whole filter support (±halfWidth input samples) has arrived; history older than the
 * next output's support is dropped.
 */
import { resample } from "@recurrent/speech";

/** `resample`'s default filter: 32 zero crossings each side, cutoff 0.95 of the lower Nyquist rate. */
const ZERO_CROSSINGS = 32;
const ROLLOFF = 0.95;

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** A resampler from `fromRate` to `toRate` Hz fed block by block. */
export class StreamResampler {
  readonly fromRate: number;
  readonly toRate: number;
  private readonly period: number;
  private readonly outPerPeriod: number;
  /** Filter half-width in input samples. */
  private readonly halfWidth: number;
  private buffer = new Float32Array(0);
  /** Absolute index of buffer[0] (a multiple of `period`). */
  private bufferStart = 0;
  /** Input samples received. */
  private received = 0;
  /** Outputs produced. */
  private produced = 0;

  /**
   * @param fromRate input rate in Hz (a positive integer).
   * @param toRate output rate in Hz (a positive integer).
   * @throws RangeError naming the rate when either is not a positive integer.
   */
  constructor(fromRate: number, toRate: number) {
    for (const [name, rate] of [
      ["fromRate", fromRate],
      ["toRate", toRate],
    ] as const) {
      if (!Number.isInteger(rate) || rate <= 0) {
        throw new RangeError(`StreamResampler: ${name} must be a positive integer of Hz, got ${rate}`);
      }
    }
    this.fromRate = fromRate;
    this.toRate = toRate;
    const g = gcd(fromRate, toRate);
    this.period = fromRate / g;
    this.outPerPeriod = toRate / g;
    this.halfWidth = ZERO_CROSSINGS / (ROLLOFF * Math.min(1, toRate / fromRate));
  }

  /** Input instant (in input samples) of output `m`. */
  private instant(m: number): number {
    return (m * this.fromRate) / this.toRate;
  }

  /**
   * Feeds input samples.
   * @returns the output samples completed by this block (maybe none).
   */
  push(block: Float32Array): Float32Array {
    if (this.fromRate === this.toRate) {
      this.received += block.length;
      return block.slice();
    }
    this.append(block);
    // Outputs whose support [t − halfWidth, t + halfWidth] lies inside what has arrived.
    let end = this.produced;
    while (Math.floor(this.instant(end) + this.halfWidth) < this.received) end++;
    return this.take(end);
  }

  /**
   * Ends the stream: the last outputs, with the input taken as zero past its end (as `resample` does).
   * The resampler is then reset for a new stream.
   */
  end(): Float32Array {
    if (this.fromRate === this.toRate) {
      this.reset();
      return new Float32Array(0);
    }
    const out = this.take(Math.ceil((this.received * this.toRate) / this.fromRate));
    this.reset();
    return out;
  }

  /** Forgets everything (a new stream starts at sample 0). */
  reset(): void {
    this.buffer = new Float32Array(0);
    this.bufferStart = 0;
    this.received = 0;
    this.produced = 0;
  }

  private append(block: Float32Array): void {
    const kept = this.received - this.bufferStart;
    if (kept + block.length > this.buffer.length) {
      const grown = new Float32Array(Math.max(2 * this.buffer.length, kept + block.length, 4096));
      grown.set(this.buffer.subarray(0, kept));
      this.buffer = grown;
    }
    this.buffer.set(block, kept);
    this.received += block.length;
  }

  /** Outputs `produced` … `end − 1`, from the buffered input; then drops input no later output needs. */
  private take(end: number): Float32Array {
    if (end <= this.produced) return new Float32Array(0);
    const kept = this.received - this.bufferStart;
    const segment = resample(this.buffer.subarray(0, kept), this.fromRate, this.toRate);
    // The segment starts at a multiple of `period`: its output 0 is global output bufferStart·to/from.
    const first = (this.bufferStart / this.period) * this.outPerPeriod;
    const out = new Float32Array(end - this.produced);
    for (let m = this.produced; m < end; m++) out[m - this.produced] = segment[m - first] ?? 0;
    this.produced = end;
    // Keep from the period boundary at or before the next output's support.
    const need = Math.max(0, Math.floor(this.instant(end) - this.halfWidth) - 1);
    const drop = Math.floor(need / this.period) * this.period - this.bufferStart;
    if (drop > 0) {
      this.buffer.copyWithin(0, drop, kept);
      this.bufferStart += drop;
    }
    return out;
  }
}
