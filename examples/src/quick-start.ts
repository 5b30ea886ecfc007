/**
 * Quick start, end to end: build a model, train it on a sine-continuation task with the pure TypeScript backend,
 * save and reload it, run it over whole sequences, stream it frame by frame, and check that ONNX Runtime gives
 * the same numbers. Run with `npx -y pnpm@12.4.2 example` from the repository root.
 */

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { jsBackend } from "@recurrent/backend-js";
import {
  assertValid,
  createRng,
  dense,
  fit,
  initWeights,
  input,
  lstm,
  padSequences,
  type SequenceExample,
  sequenceDataset,
  sequential,
  stream,
  type Tensor,
} from "@recurrent/core";
import { loadModel, saveModel } from "@recurrent/core/node";
import { onnxBackend } from "@recurrent/onnx/node";

/** What the example measured. */
export interface QuickStartResult {
  readonly trainLoss: number;
  readonly validationLoss: number;
  /** MSE of predicting "the next sample equals this one" on the validation set. */
  readonly repeatLastBaseline: number;
  /** Largest |whole-sequence − streamed| output difference. */
  readonly streamMaxDiff: number;
  /** Largest |backend-js − onnxruntime| output difference over valid steps. */
  readonly onnxMaxDiff: number;
}

/** Sine waves of random frequency, phase and length: input x[t], target x[t+1]. */
function sineExamples(count: number, seed: number): SequenceExample[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => {
    const steps = 20 + rng.int(41);
    const omega = 0.15 + 0.35 * rng.next();
    const phase = 2 * Math.PI * rng.next();
    const wave = Float32Array.from({ length: steps + 1 }, (_, t) => Math.sin(omega * t + phase));
    return { x: wave.subarray(0, steps), y: wave.subarray(1) };
  });
}

function repeatLastMse(examples: readonly SequenceExample[]): number {
  let sum = 0;
  let n = 0;
  for (const { x, y } of examples) {
    for (let t = 0; t < x.length; t++) sum += (y[t]! - x[t]!) ** 2;
    n += x.length;
  }
  return sum / n;
}

function maxAbsDiff(a: Tensor, b: Tensor, lengths: Int32Array): number {
  const [T, B, D] = a.shape as [number, number, number];
  let worst = 0;
  for (let t = 0; t < T; t++) {
    for (let s = 0; s < B; s++) {
      if (t >= lengths[s]!) continue;
      for (let d = 0; d < D; d++) {
        const i = (t * B + s) * D + d;
        worst = Math.max(worst, Math.abs(a.data[i]! - b.data[i]!));
      }
    }
  }
  return worst;
}

export async function quickStart(log: (line: string) => void = console.log): Promise<QuickStartResult> {
  // 1. The model: one LSTM layer and a per-frame dense output, time-major [time, batch, 1].
  const model = assertValid(
    sequential("sine", [input("signal", 1), lstm("lstm", { units: 16 }), dense("next", { units: 1 })]),
  );
  const weights = initWeights(model, { seed: 7 });

  // 2. Data: variable-length sequences, padded into time-major batches with lengths by the dataset.
  const train = sineExamples(96, 1);
  const validation = sineExamples(32, 2);
  const options = { input: "signal", features: 1, targets: 1 } as const;

  // 3. Training with backpropagation through time, Adam and clipping by global norm.
  const trainer = await jsBackend().trainer(model, weights, {
    loss: "mse",
    optimizer: { kind: "adam", lr: 0.02 },
    clipNorm: 1,
  });
  const history = await fit(trainer, sequenceDataset(train, options), {
    epochs: 30,
    batchSize: 16,
    seed: 3,
    validation: sequenceDataset(validation, options),
  });
  const last = history.epochs.at(-1)!;
  const baseline = repeatLastMse(validation);
  log(
    `trained ${history.epochs.length} epochs: train MSE ${last.trainLoss.toFixed(5)}, validation MSE ${last.valLoss?.toFixed(5)}`,
  );
  log(`"repeat the last sample" baseline on validation: MSE ${baseline.toFixed(5)}`);

  // 4. Save and load: one .safetensors file with the graph in its metadata.
  const dir = await mkdtemp(join(tmpdir(), "recurrent-quick-start-"));
  try {
    const file = join(dir, "sine.safetensors");
    await saveModel(file, model, trainer.weights());
    const loaded = await loadModel(file);
    log(`saved and reloaded ${file}`);

    // 5. Whole-sequence inference on the validation batch.
    const batch = padSequences(
      validation.map((e) => e.x),
      1,
    );
    const exe = await jsBackend().compile(loaded.model, loaded.weights);
    const whole = (await exe.run({ signal: batch.x, lengths: batch.lengths })).next!;

    // 6. Streaming: one frame at a time, state carried between calls — the same numbers.
    const [T, B] = batch.x.shape as [number, number, number];
    const live = stream(exe);
    const streamed = new Float32Array(whole.data.length);
    for (let t = 0; t < T; t++) {
      const frame = { shape: [B, 1], data: batch.x.data.subarray(t * B, (t + 1) * B) };
      streamed.set((await live.push(frame)).next!.data, t * B);
    }
    const streamMaxDiff = maxAbsDiff(whole, { shape: whole.shape, data: streamed }, batch.lengths);
    log(`streamed ${T} frames one by one: max |difference| to whole-sequence run ${streamMaxDiff.toExponential(2)}`);

    // 7. ONNX: the same model in onnxruntime-node.
    const ort = await onnxBackend().compile(loaded.model, loaded.weights);
    const viaOnnx = (await ort.run({ signal: batch.x, lengths: batch.lengths })).next!;
    const onnxMaxDiff = maxAbsDiff(whole, viaOnnx, batch.lengths);
    log(`onnxruntime-node: max |difference| to backend-js ${onnxMaxDiff.toExponential(2)}`);
    await Promise.all([exe.dispose(), ort.dispose(), trainer.dispose()]);

    return {
      trainLoss: last.trainLoss,
      validationLoss: last.valLoss ?? Number.NaN,
      repeatLastBaseline: baseline,
      streamMaxDiff,
      onnxMaxDiff,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await quickStart();
}
