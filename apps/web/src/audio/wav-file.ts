/**
 * A dropped or chosen WAV file: size check, decoding with `@recurrent/speech`'s `readWav` (PCM 8/16/24/32-bit,
 * float, any channel count mixed to mono, any rate) and a message for the page when it cannot be read.
 */
import { MAX_RESAMPLE_RATIO, MFCC_SAMPLE_RATE, readWav, type WavAudio } from "@recurrent/speech";

/**
 * Largest file the page reads: it decodes the whole file into memory (4 bytes per sample). 64 MiB is 35 min of
 * 16 kHz 16-bit mono, or 6 min of 44.1 kHz 16-bit stereo.
 */
export const MAX_WAV_BYTES = 64 * 1024 * 1024;

/** A decoded file and a one-line description of it. */
export interface DecodedWav {
  readonly audio: WavAudio;
  /** E.g. `"speech.wav: 16-bit PCM, 44100 Hz, 2 channels mixed to mono, 3.2 s"`. */
  readonly description: string;
}

/** A file that cannot be used, with a message for the page. */
export class WavFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WavFileError";
  }
}

/** `"12.3 s"` or `"4 min 05 s"`. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${String(Math.round(seconds - 60 * m)).padStart(2, "0")} s`;
}

/**
 * Reads a file the user gave the page.
 * @throws WavFileError naming the file: too large (with both sizes), not a readable WAV (readWav's reason), empty,
 *   or at a sample rate that cannot be resampled to 16 kHz.
 */
export async function decodeWavFile(file: File): Promise<DecodedWav> {
  if (file.size > MAX_WAV_BYTES) {
    throw new WavFileError(
      `"${file.name}" is ${(file.size / 2 ** 20).toFixed(0)} MiB; this page reads WAV files up to ${MAX_WAV_BYTES / 2 ** 20} MiB. Cut a shorter piece (e.g. ffmpeg -i in.wav -t 300 out.wav).`,
    );
  }
  let audio: WavAudio;
  try {
    audio = readWav(new Uint8Array(await file.arrayBuffer()), { name: file.name });
  } catch (e) {
    throw new WavFileError(`Cannot read "${file.name}": ${(e as Error).message}`);
  }
  if (audio.samples.length === 0) throw new WavFileError(`"${file.name}" holds no samples.`);
  const ratio = Math.max(audio.sampleRate / MFCC_SAMPLE_RATE, MFCC_SAMPLE_RATE / audio.sampleRate);
  if (!Number.isInteger(audio.sampleRate) || ratio > MAX_RESAMPLE_RATIO) {
    throw new WavFileError(
      `"${file.name}" declares ${audio.sampleRate} Hz; the page resamples integer rates within ${MAX_RESAMPLE_RATIO}× of 16 kHz (250 Hz to 1.024 MHz). Is the header right?`,
    );
  }
  const kind = audio.encoding === "float" ? `${audio.bitDepth}-bit float` : `${audio.bitDepth}-bit PCM`;
  const channels = audio.channels === 1 ? "mono" : `${audio.channels} channels mixed to mono`;
  const seconds = audio.samples.length / audio.sampleRate;
  const rate = audio.sampleRate === 16000 ? "16000 Hz" : `${audio.sampleRate} Hz resampled to 16 kHz`;
  return { audio, description: `${file.name}: ${kind}, ${rate}, ${channels}, ${formatDuration(seconds)}` };
}
