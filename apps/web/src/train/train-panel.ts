/**
 * The Train part: starts the training worker on the selected backend, draws its loss and held-out accuracy as
 * they arrive, stops it on request, and hands the trained model to the Live part. The worker is created on the
 * first run (so a visitor who never trains never downloads its chunk) and reused.
 */
import { CORPUS_URLS } from "../assets.js";
import { BACKEND_LABELS, type BackendId } from "../backends.js";
import { LineChart } from "../chart.js";
import { h, say } from "../dom.js";
import { DEFAULT_SETTINGS, type FromWorker, type ToWorker, type TrainSettings } from "./protocol.js";

/** What the tests and the console read (`window.__recurrent.train`). */
export interface TrainRecord {
  running: boolean;
  done?: "completed" | "stopped";
  error?: string;
  losses: number[];
  accuracies: [number, number][];
  msPerStep: number[];
}

export interface TrainHost {
  backend(): BackendId;
  /** Streams the Live part through this model file from now on. */
  useModel(bytes: Uint8Array, label: string): Promise<void>;
}

/** The page's one training worker. */
export function trainingWorker(): Worker {
  return new Worker(new URL("./train-worker.ts", import.meta.url), { type: "module", name: "recurrent-train" });
}

export class TrainPanel {
  readonly record: TrainRecord = { running: false, losses: [], accuracies: [], msPerStep: [] };
  private worker: Worker | undefined;
  private readonly status: HTMLElement;
  private readonly start: HTMLButtonElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly use: HTMLButtonElement;
  private readonly steps: HTMLInputElement;
  private readonly units: HTMLInputElement;
  private readonly loss: LineChart;
  private readonly acc: LineChart;
  private model: { bytes: Uint8Array; label: string } | undefined;

  constructor(
    root: HTMLElement,
    private readonly host: TrainHost,
  ) {
    this.steps = h("input", {
      id: "train-steps",
      type: "number",
      min: "1",
      max: "100000",
      value: String(DEFAULT_SETTINGS.steps),
    });
    this.units = h("input", {
      id: "train-units",
      type: "number",
      min: "1",
      max: "512",
      value: String(DEFAULT_SETTINGS.units),
    });
    this.start = h("button", { id: "train-start", type: "button" }, "Train");
    this.stopButton = h("button", { id: "train-stop", type: "button", disabled: "" }, "Stop");
    this.use = h("button", { id: "train-use", type: "button", disabled: "" }, "Use this model in Live");
    this.status = h("p", { id: "train-status", class: "message" });
    const charts = h("div", { class: "row" });
    root.append(
      h(
        "p",
        { class: "muted" },
        "An LSTM phone classifier trained on the training split of the embedded corpus, in a Web Worker, with fit(): Adam, batches of 8 chunks of 100 frames. Accuracy: the frames of 20 held-out utterances.",
      ),
      h(
        "div",
        { class: "row" },
        h("label", {}, "steps ", this.steps),
        h("label", {}, "LSTM units ", this.units),
        this.start,
        this.stopButton,
        this.use,
      ),
      this.status,
      charts,
    );
    this.loss = new LineChart(charts, "training loss (cross-entropy)", "#c33");
    this.acc = new LineChart(charts, "held-out frame accuracy", "#36c", [0, 1]);
    this.start.addEventListener("click", () => this.run());
    this.stopButton.addEventListener("click", () => this.stop());
    this.use.addEventListener("click", () => {
      if (this.model) void this.host.useModel(this.model.bytes, this.model.label);
    });
  }

  private settings(): TrainSettings | string {
    const steps = Number(this.steps.value);
    const units = Number(this.units.value);
    if (!Number.isInteger(steps) || steps < 1 || steps > 100_000)
      return `steps must be an integer from 1 to 100000, got "${this.steps.value}"`;
    if (!Number.isInteger(units) || units < 1 || units > 512)
      return `LSTM units must be an integer from 1 to 512, got "${this.units.value}"`;
    return { ...DEFAULT_SETTINGS, steps, units };
  }

  run(): void {
    const settings = this.settings();
    if (typeof settings === "string") {
      say(this.status, settings, "error");
      return;
    }
    const backend = this.host.backend();
    Object.assign(this.record, {
      running: true,
      done: undefined,
      error: undefined,
      losses: [],
      accuracies: [],
      msPerStep: [],
    });
    this.loss.clear();
    this.acc.clear();
    this.start.disabled = true;
    this.stopButton.disabled = false;
    this.use.disabled = true;
    const worker = (this.worker ??= trainingWorker());
    worker.onmessage = (event: MessageEvent<FromWorker>) => this.receive(event.data, backend, settings);
    worker.onerror = (event) => this.fail(`the training worker failed: ${event.message}`);
    const msg: ToWorker = { type: "train", backend, corpus: CORPUS_URLS, settings };
    worker.postMessage(msg);
    say(this.status, `Starting on ${BACKEND_LABELS[backend]}…`);
  }

  stop(): void {
    this.worker?.postMessage({ type: "stop" } satisfies ToWorker);
    say(this.status, "Stopping after the current step…");
  }

  private fail(message: string): void {
    this.record.running = false;
    this.record.error = message;
    this.start.disabled = false;
    this.stopButton.disabled = true;
    say(this.status, message, "error");
  }

  private receive(msg: FromWorker, backend: BackendId, settings: TrainSettings): void {
    switch (msg.type) {
      case "status":
        say(this.status, msg.text);
        break;
      case "step": {
        this.record.losses.push(msg.loss);
        this.record.msPerStep.push(msg.ms);
        this.loss.add(msg.step, msg.loss);
        const acc = this.record.accuracies.at(-1);
        say(
          this.status,
          `step ${msg.step}/${settings.steps} on ${BACKEND_LABELS[backend]}: loss ${msg.loss.toFixed(3)}` +
            (acc ? `, held-out accuracy ${(100 * acc[1]).toFixed(1)} %` : "") +
            `, ${msg.ms.toFixed(0)} ms/step`,
        );
        break;
      }
      case "eval":
        this.record.accuracies.push([msg.step, msg.accuracy]);
        this.acc.add(msg.step, msg.accuracy);
        break;
      case "done": {
        const acc = this.record.accuracies.at(-1)?.[1] ?? Number.NaN;
        const label = `LSTM ${settings.units} trained here (${msg.steps} steps, ${(100 * acc).toFixed(1)} % held-out)`;
        this.model = { bytes: msg.model, label };
        this.record.running = false;
        this.record.done = msg.reason;
        this.start.disabled = false;
        this.stopButton.disabled = true;
        this.use.disabled = false;
        say(
          this.status,
          `${msg.reason === "stopped" ? "Stopped" : "Done"} after ${msg.steps} steps: ${(100 * acc).toFixed(1)} % of held-out frames right. "Use this model in Live" streams the microphone through it.`,
        );
        break;
      }
      case "error":
        this.fail(`Training failed: ${msg.message}`);
        break;
      case "bench":
        break;
    }
  }
}
