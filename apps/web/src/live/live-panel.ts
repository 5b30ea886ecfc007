/**
 * The Live part: microphone or WAV file → Recognizer → posteriorgram, current phone with its confidence and the
 * per-frame latency. A dropped file is pushed in 100 ms pieces with a yield to the event loop between pieces
 * that took longer than one animation frame, so a long file never freezes the tab, and Stop ends it.
 */
import type { Executable } from "@recurrent/core";
import { PHONE_CLASSES } from "@recurrent/speech";
import { MicError, type Microphone, startMicrophone } from "../audio/microphone.js";
import { decodeWavFile, WavFileError } from "../audio/wav-file.js";
import { h, say } from "../dom.js";
import { LiveRecord } from "./live-record.js";
import { Posteriorgram } from "./posteriorgram.js";
import { type FrameDecision, Recognizer } from "./recognizer.js";

/** What the Live part needs from the page. */
export interface LiveHost {
  /** The compiled phone model on the selected backend (compiled once per backend and model). */
  executable(): Promise<{ exe: Executable; model: import("../phone-model.js").PhoneModel; backend: string }>;
}

const LATENCY_WINDOW = 100;

/** Builds the Live section into `root`. */
export class LivePanel {
  readonly record = new LiveRecord();
  private readonly message: HTMLElement;
  private readonly phone: HTMLElement;
  private readonly confidence: HTMLElement;
  private readonly latency: HTMLElement;
  private readonly source: HTMLElement;
  private readonly micButton: HTMLButtonElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly plot: Posteriorgram;
  private mic: Microphone | undefined;
  private recognizer: Recognizer | undefined;
  private fileRun: { stop: boolean } | undefined;
  private latencies: number[] = [];

  constructor(
    root: HTMLElement,
    private readonly host: LiveHost,
  ) {
    this.micButton = h("button", { id: "mic-start", type: "button" }, "Start microphone");
    this.stopButton = h("button", { id: "live-stop", type: "button", disabled: "" }, "Stop");
    const fileInput = h("input", { id: "wav-input", type: "file", accept: ".wav,audio/wav,audio/x-wav" });
    const drop = h("label", { id: "wav-drop", class: "drop" }, "Drop a WAV file here, or choose one: ", fileInput);
    this.message = h("p", { id: "live-message", class: "message" });
    this.source = h("p", { id: "live-source", class: "muted" });
    this.phone = h("span", { id: "current-phone", class: "phone" }, "–");
    this.confidence = h("span", { id: "confidence" }, "");
    this.latency = h("span", { id: "latency" }, "");
    const readout = h(
      "p",
      { class: "readout" },
      "phone ",
      this.phone,
      " ",
      this.confidence,
      " · latency ",
      this.latency,
    );
    const plotBox = h("div", { class: "plot" });
    root.append(
      h("div", { class: "row" }, this.micButton, this.stopButton, drop),
      this.message,
      this.source,
      readout,
      plotBox,
    );
    this.plot = new Posteriorgram(plotBox);

    this.micButton.addEventListener("click", () => void this.startMic());
    this.stopButton.addEventListener("click", () => void this.stop());
    fileInput.addEventListener("change", () => {
      const file = fileInput.files?.[0];
      if (file) void this.playFile(file);
      fileInput.value = "";
    });
    drop.addEventListener("dragover", (e) => {
      e.preventDefault();
      drop.classList.add("over");
    });
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", (e) => {
      e.preventDefault();
      drop.classList.remove("over");
      const file = e.dataTransfer?.files[0];
      if (file) void this.playFile(file);
    });
  }

  /** Stops whatever runs (the backend or the model changed, or the user pressed Stop). */
  async stop(): Promise<void> {
    if (this.fileRun) this.fileRun.stop = true;
    const mic = this.mic;
    this.mic = undefined;
    await mic?.stop();
    await this.recognizer?.end().catch(() => undefined);
    this.recognizer = undefined;
    this.micButton.disabled = false;
    this.stopButton.disabled = true;
    this.record.running = false;
  }

  private async begin(sourceRate: number, what: string): Promise<Recognizer> {
    await this.stop();
    const { exe, model, backend } = await this.host.executable();
    this.plot.clear();
    this.latencies = [];
    this.record.start(sourceRate, backend, model.label);
    const recognizer = new Recognizer(exe, model, sourceRate, (frames) => this.show(frames));
    this.recognizer = recognizer;
    this.micButton.disabled = true;
    this.stopButton.disabled = false;
    say(this.source, `${what} → ${model.label} on ${backend}`);
    return recognizer;
  }

  private async startMic(): Promise<void> {
    say(this.message, "");
    this.micButton.disabled = true;
    try {
      const queued: [Float32Array, number][] = [];
      let recognizer: Recognizer | undefined;
      const mic = await startMicrophone((block, arrived) => {
        if (recognizer === undefined) {
          queued.push([block, arrived]);
          return;
        }
        this.record.audio(block);
        recognizer.push(block, arrived);
      });
      recognizer = await this.begin(mic.sampleRate, `microphone "${mic.label || "default"}" at ${mic.sampleRate} Hz`);
      this.mic = mic;
      for (const [block, arrived] of queued.splice(0)) {
        this.record.audio(block);
        recognizer.push(block, arrived);
      }
      this.record.running = true;
    } catch (e) {
      this.micButton.disabled = false;
      this.record.error = (e as Error).message;
      say(
        this.message,
        e instanceof MicError ? e.message : `Cannot start the microphone: ${(e as Error).message}`,
        "error",
      );
    }
  }

  private async playFile(file: File): Promise<void> {
    say(this.message, "");
    let decoded: Awaited<ReturnType<typeof decodeWavFile>>;
    try {
      decoded = await decodeWavFile(file);
    } catch (e) {
      this.record.error = (e as Error).message;
      say(
        this.message,
        e instanceof WavFileError ? e.message : `Cannot read "${file.name}": ${(e as Error).message}`,
        "error",
      );
      return;
    }
    const { samples, sampleRate } = decoded.audio;
    let recognizer: Recognizer;
    try {
      recognizer = await this.begin(sampleRate, decoded.description);
    } catch (e) {
      say(this.message, `Cannot start: ${(e as Error).message}`, "error");
      return;
    }
    const run = { stop: false };
    this.fileRun = run;
    this.record.running = true;
    const piece = Math.round(sampleRate / 10);
    let slice = performance.now();
    for (let at = 0; at < samples.length && !run.stop; at += piece) {
      const block = samples.subarray(at, at + piece);
      this.record.audio(block);
      recognizer.push(block, performance.now(), false); // a file waits for the backend: nothing is dropped
      await recognizer.idle();
      if (performance.now() - slice > 16) {
        await new Promise((resolve) => setTimeout(resolve, 0)); // let the page paint and take clicks
        slice = performance.now();
      }
    }
    if (!run.stop) {
      await recognizer.end();
      say(this.message, `Done: ${recognizer.frameCount} frames from ${file.name}.`);
      if (this.recognizer === recognizer) this.recognizer = undefined;
      this.micButton.disabled = false;
      this.stopButton.disabled = true;
      this.record.running = false;
      this.record.done = true;
    }
  }

  private show(frames: FrameDecision[]): void {
    this.record.frames(frames);
    this.plot.add(frames.map((f) => f.probs));
    const last = frames.at(-1)!;
    this.phone.textContent = PHONE_CLASSES[last.phone] ?? "?";
    this.confidence.textContent = `${(100 * last.confidence).toFixed(0)} %`;
    for (const f of frames) this.latencies.push(f.latencyMs);
    if (this.latencies.length > LATENCY_WINDOW) this.latencies.splice(0, this.latencies.length - LATENCY_WINDOW);
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
    const p95 = sorted[Math.min(sorted.length - 1, Math.floor(0.95 * sorted.length))]!;
    const behind = this.recognizer?.backlogSeconds ?? 0;
    const dropped = this.recognizer?.droppedSeconds ?? 0;
    this.latency.textContent =
      `mean ${mean.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms per frame (+40 ms Δ/ΔΔ look-ahead)` +
      (behind > 0.1 ? `; ${behind.toFixed(1)} s behind real time` : "") +
      (dropped > 0 ? `; ${dropped.toFixed(1)} s of audio skipped: this backend is slower than real time` : "");
  }
}
