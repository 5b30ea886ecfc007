/**
 * The Compare part: for each backend that is available here, measured in this page —
 * - streaming frames/s: the shipped LSTM pushed one 10 ms frame at a time through core's `stream()` on the page's
 *   thread (as Live does for a microphone), after 20 warm-up frames;
 * - ms per training step: the Train part's model and batch (8 chunks of 100 frames) in a fresh worker, after 1
 *   warm-up step.
 * Backends run one after another, so they do not compete for the CPU or the GPU.
 */
import { stream } from "@recurrent/core";
import { NUM_FEATURES } from "@recurrent/speech";
import { CORPUS_URLS } from "../assets.js";
import { type Availability, BACKEND_IDS, BACKEND_LABELS, type BackendId, createBackend } from "../backends.js";
import { h, say } from "../dom.js";
import type { PhoneModel } from "../phone-model.js";
import type { FromWorker, ToWorker } from "../train/protocol.js";
import { DEFAULT_SETTINGS } from "../train/protocol.js";
import { trainingWorker } from "../train/train-panel.js";

/** One backend's numbers (absent: not measured; a string: why not). */
export interface CompareRow {
  backend: BackendId;
  framesPerSecond?: number;
  msPerStep?: number;
  error?: string;
}

export interface CompareHost {
  backends(): Record<BackendId, Availability>;
  shippedModel(): Promise<PhoneModel>;
}

const WARM_FRAMES = 20;

export class ComparePanel {
  readonly record: { running: boolean; done: boolean; rows: CompareRow[] } = { running: false, done: false, rows: [] };
  private readonly table: HTMLTableSectionElement;
  private readonly status: HTMLElement;
  private readonly button: HTMLButtonElement;
  private readonly frames: HTMLInputElement;
  private readonly steps: HTMLInputElement;

  constructor(
    root: HTMLElement,
    private readonly host: CompareHost,
  ) {
    this.button = h("button", { id: "compare-run", type: "button" }, "Measure every backend");
    this.frames = h("input", { id: "compare-frames", type: "number", min: "1", value: "300" });
    this.steps = h("input", { id: "compare-steps", type: "number", min: "1", value: "5" });
    this.status = h("p", { id: "compare-status", class: "message" });
    this.table = h("tbody");
    root.append(
      h(
        "div",
        { class: "row" },
        h("label", {}, "streamed frames ", this.frames),
        h("label", {}, "training steps ", this.steps),
        this.button,
      ),
      this.status,
      h(
        "table",
        { id: "compare-table" },
        h(
          "thead",
          {},
          h("tr", {}, h("th", {}, "backend"), h("th", {}, "streaming frames/s"), h("th", {}, "ms per training step")),
        ),
        this.table,
      ),
    );
    this.button.addEventListener("click", () => void this.run());
  }

  async run(): Promise<void> {
    this.button.disabled = true;
    Object.assign(this.record, { running: true, done: false, rows: [] });
    const frames = Math.max(1, Number(this.frames.value) || 300);
    const steps = Math.max(1, Number(this.steps.value) || 5);
    const available = this.host.backends();
    for (const id of BACKEND_IDS) {
      const row: CompareRow = { backend: id };
      this.record.rows.push(row);
      if (available[id] !== true) {
        row.error = `unavailable: ${available[id]}`;
        this.render();
        continue;
      }
      try {
        say(this.status, `${BACKEND_LABELS[id]}: streaming ${frames} frames…`);
        row.framesPerSecond = await this.streamRate(id, frames);
        this.render();
        say(this.status, `${BACKEND_LABELS[id]}: ${steps} training steps in a worker…`);
        row.msPerStep = await this.trainStep(id, steps);
      } catch (e) {
        row.error = (e as Error).message;
      }
      this.render();
    }
    say(this.status, "Done.");
    this.record.running = false;
    this.record.done = true;
    this.button.disabled = false;
  }

  private async streamRate(id: BackendId, frames: number): Promise<number> {
    const phone = await this.host.shippedModel();
    const exe = await (await createBackend(id)).compile(phone.model, phone.weights);
    try {
      const live = stream(exe);
      // Normalized features are roughly unit-variance; the values do not change the work done.
      let seed = 1;
      const frame = () => ({
        shape: [1, NUM_FEATURES],
        data: Float32Array.from(
          { length: NUM_FEATURES },
          () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 2,
        ),
      });
      for (let i = 0; i < WARM_FRAMES; i++) await live.push(frame());
      const t0 = performance.now();
      for (let i = 0; i < frames; i++) await live.push(frame());
      return (1000 * frames) / (performance.now() - t0);
    } finally {
      await exe.dispose();
    }
  }

  private trainStep(id: BackendId, steps: number): Promise<number> {
    const worker = trainingWorker();
    return new Promise<number>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<FromWorker>) => {
        const msg = event.data;
        if (msg.type === "bench") resolve(msg.msPerStep);
        else if (msg.type === "error") reject(new Error(msg.message));
      };
      worker.onerror = (event) => reject(new Error(`the worker failed: ${event.message}`));
      const msg: ToWorker = { type: "bench", backend: id, corpus: CORPUS_URLS, settings: DEFAULT_SETTINGS, steps };
      worker.postMessage(msg);
    }).finally(() => worker.terminate());
  }

  private render(): void {
    this.table.replaceChildren(
      ...this.record.rows.map((r) =>
        h(
          "tr",
          { "data-backend": r.backend },
          h("td", {}, BACKEND_LABELS[r.backend]),
          h("td", {}, r.framesPerSecond === undefined ? "–" : r.framesPerSecond.toFixed(0)),
          h("td", {}, r.msPerStep === undefined ? (r.error ?? "–") : r.msPerStep.toFixed(1)),
        ),
      ),
    );
  }
}
