/**
 * AudioWorklet processor: copies the first channel of its input to the main thread in blocks of about 20 ms
 * (fewer messages than one per 128-frame render quantum). Runs on the audio rendering thread; bundled on its
 * own by Vite (`?worker&url`), so it imports nothing.
 */

// The AudioWorkletGlobalScope's names (TypeScript's DOM library does not declare them).
declare const sampleRate: number;
declare function registerProcessor(name: string, ctor: unknown): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}

/** The processor's registered name. */
const NAME = "recurrent-capture";

class CaptureProcessor extends AudioWorkletProcessor {
  private readonly size = Math.round(sampleRate * 0.02);
  private block = new Float32Array(this.size);
  private filled = 0;

  process(inputs: Float32Array[][]): boolean {
    const channel = inputs[0]?.[0];
    if (channel === undefined) return true; // no input connected yet
    let at = 0;
    while (at < channel.length) {
      const n = Math.min(channel.length - at, this.block.length - this.filled);
      this.block.set(channel.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === this.block.length) {
        this.port.postMessage(this.block, [this.block.buffer]); // detaches this.block
        this.block = new Float32Array(this.size);
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor(NAME, CaptureProcessor);
