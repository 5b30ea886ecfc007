/**
 * The Silero VAD part: fine-tunes the official Silero VAD in a Web Worker with the official recipe, on the
 * corpus's aligned recordings mixed with noise, shows the held-out ROC-AUC before and after and every epoch's
 * losses, and offers the result as an ONNX file with the original contract. The model file is the visitor's own
 * copy (the page ships none); the worker is created on the first run.
 */
import { CORPUS_RECORDINGS } from "../assets.js";
import { BACKEND_LABELS, type BackendId } from "../backends.js";
import { h, say } from "../dom.js";
import type { FromSileroWorker, ToSileroWorker } from "./protocol.js";

/** What the tests and the console read (`window.__recurrent.silero`). */
export interface SileroRecord {
  running: boolean;
  done: boolean;
  error?: string;
  aucBefore?: number;
  aucAfter?: number;
  epochs: { epoch: number; trainLoss: number; valLoss: number }[];
  /** Size of the exported ONNX file. */
  onnxBytes?: number;
}

export class SileroPanel {
  readonly record: SileroRecord = { running: false, done: false, epochs: [] };
  private worker: Worker | undefined;
  private readonly file: HTMLInputElement;
  private readonly epochs: HTMLInputElement;
  private readonly start: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly log: HTMLElement;
  private readonly download: HTMLAnchorElement;

  constructor(
    root: HTMLElement,
    private readonly host: { backend(): BackendId },
  ) {
    this.file = h("input", { id: "silero-model", type: "file", accept: ".onnx,.safetensors" });
    this.epochs = h("input", { id: "silero-epochs", type: "number", min: "1", max: "200", value: "6" });
    this.start = h("button", { id: "silero-start", type: "button" }, "Fine-tune");
    this.status = h("p", { id: "silero-status", class: "message" });
    this.log = h("pre", { id: "silero-log", class: "muted" });
    this.download = h("a", { id: "silero-download", download: "silero_vad_finetuned.onnx", hidden: "" });
    root.append(
      h(
        "p",
        { class: "muted" },
        "Silero VAD (MIT) fine-tuned in a Web Worker with the official recipe: the encoder frozen, the LSTM decoder " +
          "trained with full BPTT, Adam 5e-4, BCE with non-speech weighted 0.5. Data: the corpus's 7 aligned " +
          "recordings joined with pauses and mixed with white noise at −10 dB; the last two are held out. Choose your " +
          "copy of the official silero_vad_16k_op15.onnx (or silero_vad_16k.safetensors).",
      ),
      h(
        "div",
        { class: "row" },
        h("label", {}, "model file ", this.file),
        h("label", {}, "epochs ", this.epochs),
        this.start,
        this.download,
      ),
      this.status,
      this.log,
    );
    this.start.addEventListener("click", () => void this.run());
  }

  async run(): Promise<void> {
    const chosen = this.file.files?.[0];
    const epochs = Number(this.epochs.value);
    if (chosen === undefined) {
      say(this.status, "Choose the Silero VAD model file first (silero_vad_16k_op15.onnx).", "error");
      return;
    }
    if (!Number.isInteger(epochs) || epochs < 1 || epochs > 200) {
      say(this.status, `epochs must be an integer from 1 to 200, got "${this.epochs.value}"`, "error");
      return;
    }
    const backend = this.host.backend();
    Object.assign(this.record, {
      running: true,
      done: false,
      error: undefined,
      aucBefore: undefined,
      aucAfter: undefined,
      epochs: [],
      onnxBytes: undefined,
    });
    this.log.textContent = "";
    this.download.hidden = true;
    this.start.disabled = true;
    const model = new Uint8Array(await chosen.arrayBuffer());
    this.worker ??= new Worker(new URL("./silero-worker.ts", import.meta.url), {
      type: "module",
      name: "recurrent-silero",
    });
    this.worker.onmessage = (event: MessageEvent<FromSileroWorker>) => this.receive(event.data);
    this.worker.onerror = (event) => this.fail(`the Silero worker failed: ${event.message}`);
    const msg: ToSileroWorker = {
      type: "finetune",
      backend,
      model,
      modelName: chosen.name,
      recordings: CORPUS_RECORDINGS,
      epochs,
    };
    this.worker.postMessage(msg, [model.buffer]);
    say(this.status, `Starting on ${BACKEND_LABELS[backend]}…`);
  }

  private line(text: string): void {
    this.log.textContent += `${text}\n`;
  }

  private fail(message: string): void {
    Object.assign(this.record, { running: false, error: message });
    this.start.disabled = false;
    say(this.status, message, "error");
  }

  private receive(msg: FromSileroWorker): void {
    switch (msg.type) {
      case "status":
        say(this.status, msg.text);
        break;
      case "auc":
        this.record[msg.when === "before" ? "aucBefore" : "aucAfter"] = msg.auc;
        this.line(`held-out ROC-AUC ${msg.when} fine-tuning: ${msg.auc.toFixed(3)}`);
        break;
      case "epoch":
        this.record.epochs.push({ epoch: msg.epoch, trainLoss: msg.trainLoss, valLoss: msg.valLoss });
        this.line(`epoch ${msg.epoch}: train loss ${msg.trainLoss.toFixed(4)}, held-out ${msg.valLoss.toFixed(4)}`);
        break;
      case "done": {
        Object.assign(this.record, { running: false, done: true, onnxBytes: msg.onnx.byteLength });
        if (this.download.href) URL.revokeObjectURL(this.download.href);
        this.download.href = URL.createObjectURL(new Blob([msg.onnx], { type: "application/octet-stream" }));
        this.download.textContent = `Download the fine-tuned model (${(msg.onnx.byteLength / 1024).toFixed(0)} KiB ONNX)`;
        this.download.hidden = false;
        this.start.disabled = false;
        say(this.status, "Done: the ONNX file has the official contract (input, state, sr → output, stateN).");
        break;
      }
      case "error":
        this.fail(`Silero fine-tuning failed: ${msg.message}`);
        break;
    }
  }
}
