/**
 * The training worker: trains a small LSTM phone classifier on the embedded corpus with core's `fit()`, off the
 * page's thread. Posts every step's loss, the held-out frame accuracy every `evalEvery` steps, and at the end
 * the model file. A "stop" message ends the run after the current step: `fit` awaits the progress callback, which
 * yields to the event loop (so the message gets in) and then throws to leave the loop.
 */
import {
  assertValid,
  dense,
  fit,
  initWeights,
  input,
  lstm,
  type SequenceExample,
  sequenceDataset,
  sequential,
  serializeModel,
  type Trainer,
  type TrainingBackend,
  type ValidModel,
} from "@recurrent/core";
import { NUM_CLASSES, NUM_FEATURES, type SpeechCorpus } from "@recurrent/speech";
import { type BackendId, createBackend } from "../backends.js";
import { CMVN_KEY, INPUT, OUTPUT } from "../phone-model.js";
import { fetchCorpus, phoneData } from "./corpus-data.js";
import type { FromWorker, ToWorker } from "./protocol.js";

const post = (message: FromWorker, transfer: Transferable[] = []) => postMessage(message, { transfer });

let corpus: Promise<SpeechCorpus> | undefined;
let stopRequested = false;

/** Thrown from the progress callback to leave `fit`. */
class EndRun {
  constructor(readonly reason: "completed" | "stopped") {}
}

function phoneModel(units: number): ValidModel {
  return assertValid(
    sequential("phones-lstm", [
      input(INPUT, NUM_FEATURES),
      lstm("lstm", { units }),
      dense(OUTPUT, { units: NUM_CLASSES }),
    ]),
  );
}

async function setup(backendId: BackendId, urls: ToWorker & { type: "train" | "bench" }) {
  post({ type: "status", text: "loading the corpus…" });
  corpus ??= fetchCorpus(urls.corpus);
  const data = phoneData(await corpus, urls.settings.chunkFrames);
  post({ type: "status", text: `starting ${backendId}…` });
  const backend: TrainingBackend = await createBackend(backendId);
  const model = phoneModel(urls.settings.units);
  const trainer = await backend.trainer(model, initWeights(model, { seed: urls.settings.seed }), {
    loss: "softmaxCrossEntropy",
    optimizer: { kind: "adam", lr: urls.settings.lr },
    clipNorm: 5,
  });
  return { data, backend, model, trainer };
}

/** Frame accuracy of the current weights on the held-out utterances (one padded batch). */
async function accuracy(backend: TrainingBackend, model: ValidModel, trainer: Trainer, heldOut: SequenceExample[]) {
  const exe = await backend.compile(model, trainer.weights());
  try {
    const batch = sequenceDataset(heldOut, { input: INPUT, features: NUM_FEATURES }).batch(heldOut.map((_, i) => i));
    const out = (await exe.run(batch.inputs))[OUTPUT]!;
    const B = heldOut.length;
    let right = 0;
    let total = 0;
    heldOut.forEach((ex, b) => {
      const labels = ex.y as Int32Array;
      for (let t = 0; t < labels.length; t++) {
        const o = (t * B + b) * NUM_CLASSES;
        let best = 0;
        for (let k = 1; k < NUM_CLASSES; k++) if (out.data[o + k]! > out.data[o + best]!) best = k;
        if (best === labels[t]) right++;
        total++;
      }
    });
    return { accuracy: right / total, frames: total };
  } finally {
    await exe.dispose();
  }
}

async function train(msg: ToWorker & { type: "train" }): Promise<void> {
  stopRequested = false;
  const { settings } = msg;
  const { data, backend, model, trainer } = await setup(msg.backend, msg);
  post({ type: "status", text: `training on ${data.train.length} chunks of ≤ ${settings.chunkFrames} frames…` });
  let steps = 0;
  let last = performance.now();
  const evaluate = async () => {
    const a = await accuracy(backend, model, trainer, data.heldOut);
    post({ type: "eval", step: steps, ...a });
  };
  let reason: "completed" | "stopped" = "completed";
  try {
    await evaluate();
    await fit(trainer, sequenceDataset(data.train, { input: INPUT, features: NUM_FEATURES }), {
      epochs: 1000,
      batchSize: settings.batchSize,
      seed: settings.seed,
      onEvent: async (event) => {
        if (event.type !== "batchEnd") return;
        steps = event.step;
        const now = performance.now();
        post({ type: "step", step: steps, loss: event.loss, ms: now - last });
        if (steps % settings.evalEvery === 0) await evaluate();
        await new Promise((resolve) => setTimeout(resolve, 0)); // let a "stop" message in
        last = performance.now();
        if (stopRequested) throw new EndRun("stopped");
        if (steps >= settings.steps) throw new EndRun("completed");
      },
    });
  } catch (e) {
    if (!(e instanceof EndRun)) throw e;
    reason = e.reason;
  }
  if (steps % settings.evalEvery !== 0) await evaluate();
  const file = serializeModel(model, trainer.weights(), {
    metadata: {
      [CMVN_KEY]: JSON.stringify(data.cmvn.toJSON()),
      "speech-demo.task": "classify",
      "speech-demo.model": "lstm",
      "speech-demo.horizon": "0",
      "speech-demo.command": `apps/web training worker: ${steps} steps on ${msg.backend}, ${JSON.stringify(settings)}`,
    },
  });
  await trainer.dispose();
  post({ type: "done", reason, steps, model: file }, [file.buffer]);
}

async function bench(msg: ToWorker & { type: "bench" }): Promise<void> {
  const { data, trainer } = await setup(msg.backend, msg);
  const set = sequenceDataset(data.train, { input: INPUT, features: NUM_FEATURES });
  const batchOf = (s: number) =>
    set.batch(Array.from({ length: msg.settings.batchSize }, (_, i) => (s * msg.settings.batchSize + i) % set.size));
  await trainer.step(batchOf(0)); // warm-up: kernels compile, buffers allocate
  const t0 = performance.now();
  for (let s = 0; s < msg.steps; s++) await trainer.step(batchOf(1 + s));
  const msPerStep = (performance.now() - t0) / msg.steps;
  await trainer.dispose();
  post({ type: "bench", backend: msg.backend, msPerStep, steps: msg.steps });
}

addEventListener("message", (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  if (msg.type === "stop") {
    stopRequested = true;
    return;
  }
  const run = msg.type === "train" ? train(msg) : bench(msg);
  run.catch((e: unknown) => post({ type: "error", message: (e as Error).message ?? String(e) }));
});
