/**
 * The microphone: getUserMedia → MediaStreamAudioSourceNode → an AudioWorklet that posts the samples to this
 * thread. The AudioContext runs at the microphone's own rate, so the browser does not resample; the page's
 * StreamResampler (the library's windowed-sinc filter) brings it to 16 kHz, as for a dropped WAV file.
 * Every failure becomes a {@link MicError} with a message for the page.
 */
import workletUrl from "./capture-worklet.ts?worker&url";

/** Why the microphone cannot start. */
export type MicErrorCode = "NO_MEDIA_DEVICES" | "NO_AUDIO_WORKLET" | "DENIED" | "NO_DEVICE" | "BUSY" | "FAILED";

/** A microphone failure, with a message meant for the page's user. */
export class MicError extends Error {
  constructor(
    readonly code: MicErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "MicError";
  }
}

/** A running capture. */
export interface Microphone {
  /** Samples per second delivered to `onAudio`. */
  readonly sampleRate: number;
  /** The device's label (may be empty before permission). */
  readonly label: string;
  stop(): Promise<void>;
}

function explain(e: unknown): MicError {
  const name = (e as { name?: string }).name ?? "";
  const message = (e as Error).message ?? String(e);
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
      return new MicError(
        "DENIED",
        "Microphone access was denied. Allow it for this page (the camera/microphone icon in the address bar) and press Start again, or drop a WAV file instead.",
      );
    case "NotFoundError":
    case "OverconstrainedError":
      return new MicError("NO_DEVICE", "No microphone was found. Plug one in, or drop a WAV file instead.");
    case "NotReadableError":
    case "AbortError":
      return new MicError(
        "BUSY",
        `The microphone could not be opened (${message}); another application may be using it.`,
      );
    default:
      return new MicError("FAILED", `The microphone failed to start: ${name ? `${name}: ` : ""}${message}`);
  }
}

/**
 * Asks for the microphone and starts streaming its samples.
 * @param onAudio called on the main thread with each block (about 20 ms) and its arrival time.
 * @throws MicError `NO_MEDIA_DEVICES` (insecure context or no getUserMedia), `NO_AUDIO_WORKLET`, `DENIED`,
 *   `NO_DEVICE`, `BUSY` or `FAILED`, each with a message for the page.
 */
export async function startMicrophone(onAudio: (block: Float32Array, arrived: number) => void): Promise<Microphone> {
  if (typeof navigator.mediaDevices?.getUserMedia !== "function") {
    throw new MicError(
      "NO_MEDIA_DEVICES",
      `This page cannot use a microphone here: navigator.mediaDevices is ${globalThis.isSecureContext ? "missing in this browser" : "only available on https:// or http://localhost pages"}. Drop a WAV file instead.`,
    );
  }
  if (typeof AudioWorkletNode === "undefined" || !("audioWorklet" in AudioContext.prototype)) {
    throw new MicError(
      "NO_AUDIO_WORKLET",
      "This browser has no AudioWorklet (it needs a recent browser and a secure context), so the microphone cannot be read. Drop a WAV file instead.",
    );
  }
  let media: MediaStream;
  try {
    media = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1 },
    });
  } catch (e) {
    throw explain(e);
  }
  const track = media.getAudioTracks()[0];
  const rate = track?.getSettings().sampleRate;
  let context: AudioContext;
  try {
    // At the track's own rate, so that the browser does not resample (its resampler is not the library's).
    context = rate ? new AudioContext({ sampleRate: rate }) : new AudioContext();
    await context.audioWorklet.addModule(workletUrl);
  } catch (e) {
    for (const t of media.getTracks()) t.stop();
    throw explain(e);
  }
  const source = context.createMediaStreamSource(media);
  const node = new AudioWorkletNode(context, "recurrent-capture", { numberOfOutputs: 0 });
  node.port.onmessage = (event: MessageEvent<Float32Array>) => onAudio(event.data, performance.now());
  source.connect(node);
  await context.resume();
  return {
    sampleRate: context.sampleRate,
    label: track?.label ?? "",
    async stop() {
      node.port.onmessage = null;
      source.disconnect();
      for (const t of media.getTracks()) t.stop();
      await context.close();
    },
  };
}
