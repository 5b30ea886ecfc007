/**
 * The training run shared by both tasks: a fixed number of optimizer steps (so that a smaller data fraction
 * gets as many updates as a larger one), Adam with a cosine learning-rate decay and gradient clipping, driven by
 * core's `fit`, with the training loss of every step and a validation loss every `evalEvery` steps recorded
 * for the loss curves.
 */
import {
  type Backend,
  cosineDecay,
  type Dataset,
  fit,
  initWeights,
  type LossKind,
  type SequenceExample,
  sequenceDataset,
  type Tensor,
  type TrainBatch,
  type ValidModel,
  type Weights,
} from "@recurrent/core";
import { nodeCheckpointIO } from "@recurrent/core/node";
import { CliError } from "../cli/errors.js";
import { INPUT, OUTPUT } from "../models.js";

/** Options of {@link trainSteps}. */
export interface TrainOptions {
  readonly backend: Backend;
  readonly loss: LossKind;
  /** Optimizer steps. */
  readonly steps: number;
  /** Examples (chunks) per step. */
  readonly batchSize: number;
  /** Peak learning rate (decays to a tenth by the last step). */
  readonly lr: number;
  /** Seeds the initial weights and the shuffling. */
  readonly seed: number;
  /** Nodes whose parameters start at zero instead of their random init (a residual branch starts silent). */
  readonly zeroInit?: readonly string[];
  /** A validation batch whose loss is recorded every `evalEvery` steps (and after the last). */
  readonly validation?: TrainBatch;
  readonly evalEvery?: number;
  /** Called after every step. */
  readonly onStep?: (step: number, loss: number) => void;
  /** Checkpoints, resume and Ctrl-C (the `train` command); without it a run cannot be interrupted or resumed. */
  readonly control?: RunControl;
}

/** How a long run can be stopped and continued. */
export interface RunControl {
  /** Checkpoint file: written every `every` steps and when `signal` is aborted. */
  readonly checkpoint: string;
  readonly every: number;
  /** Continue from the checkpoint (which must exist). */
  readonly resume: boolean;
  readonly signal: AbortSignal;
  /** What must match on resume (model, data and optimizer options). */
  readonly fingerprint: string;
}

/** A point of a loss curve. */
export interface CurvePoint {
  readonly step: number;
  readonly loss: number;
}

/** What a training run produced. */
export interface TrainResult {
  readonly weights: Weights;
  /** Training loss of every step. */
  readonly trainCurve: CurvePoint[];
  /** Validation loss every `evalEvery` steps. */
  readonly validCurve: CurvePoint[];
  readonly steps: number;
  readonly seconds: number;
  /** Stopped by `control.signal`: the checkpoint holds the run, `weights` are not final. */
  readonly interrupted?: boolean;
}

/** A dataset that repeats `base` to `size` examples, so that one epoch of `fit` is exactly the step budget. */
function repeated(base: Dataset, size: number): Dataset {
  return { size, batch: (indices) => base.batch(indices.map((i) => i % base.size)) };
}

/**
 * Trains `model` from seeded initial weights for exactly `options.steps` steps.
 * @throws CliError `BACKEND` when the backend cannot train; `BAD_OPTION` when there is no training example.
 */
export async function trainSteps(
  model: ValidModel,
  examples: readonly SequenceExample[],
  inputDim: number,
  options: TrainOptions,
): Promise<TrainResult> {
  if (options.backend.trainer === undefined) {
    throw new CliError("BACKEND", `backend "${options.backend.name}" cannot train; use --backend js`);
  }
  if (examples.length === 0) throw new CliError("BAD_OPTION", "no training examples (the selection is empty)");
  const weights: Record<string, Tensor> = { ...initWeights(model, { seed: options.seed }) };
  for (const [key, w] of Object.entries(weights)) {
    if (options.zeroInit?.includes(key.slice(0, key.lastIndexOf("/")))) {
      weights[key] = { shape: w.shape, data: new Float32Array(w.data.length) };
    }
  }
  const trainer = await options.backend.trainer(model, weights, {
    loss: options.loss,
    optimizer: { kind: "adam", lr: options.lr },
    clipNorm: 5,
    output: OUTPUT,
  });
  const base = sequenceDataset(examples, { input: INPUT, features: inputDim });
  const { steps, batchSize } = options;
  const evalEvery = options.evalEvery ?? Math.max(1, Math.round(steps / 10));
  const trainCurve: CurvePoint[] = [];
  const validCurve: CurvePoint[] = [];
  const started = performance.now();
  const c = options.control;
  try {
    const history = await fit(trainer, repeated(base, steps * batchSize), {
      epochs: 1,
      batchSize,
      seed: options.seed,
      learningRate: cosineDecay({ initial: options.lr, final: options.lr / 10, steps }),
      ...(c !== undefined
        ? {
            checkpoint: { path: c.checkpoint, every: c.every, io: nodeCheckpointIO },
            ...(c.resume ? { resume: c.checkpoint } : {}),
            signal: c.signal,
            fingerprint: c.fingerprint,
          }
        : {}),
      onEvent: async (event) => {
        if (event.type !== "batchEnd") return;
        const step = event.step; // steps taken so far, this one included
        trainCurve.push({ step, loss: event.loss });
        options.onStep?.(step, event.loss);
        if (options.validation !== undefined && (step % evalEvery === 0 || step === steps)) {
          validCurve.push({ step, loss: (await trainer.evaluate(options.validation)).loss });
        }
      },
    });
    return {
      weights: trainer.weights(),
      trainCurve,
      validCurve,
      steps,
      seconds: (performance.now() - started) / 1000,
      ...(history.stopReason === "interrupted" ? { interrupted: true } : {}),
    };
  } finally {
    await trainer.dispose();
  }
}
