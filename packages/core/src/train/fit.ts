/**
 * The epoch loop, once for every training backend: seeded shuffling, mini-batches, validation, progress
 * events, learning-rate schedules, early stopping, atomic checkpoints and exact resume.
 *
 * Resume is exact because nothing in the loop depends on anything but the checkpoint: the order of epoch e is
 * a permutation drawn from `createRng(seed, "fit.shuffle/e")`, the batches of the interrupted epoch already
 * trained are skipped, the schedule is a function of the global step, and the weights, optimizer state, partial
 * epoch loss and history are restored. (Dropout masks are the backend's business: `TrainConfig.seed`.)
 */
import type { Trainer } from "../backend/backend.js";
import { createRng, shuffle } from "../weights/random.js";
import type { Weights } from "../weights/weights.js";
import type { Checkpoint, EpochRecord, TrainPosition } from "./checkpoint.js";
import type { Dataset } from "./dataset.js";
import { bestOf, shouldStop } from "./early-stopping.js";
import { TrainError, TrainingDivergedError } from "./errors.js";
import { type FitOptions, fingerprintOf, type ResolvedFit, resolveFitOptions } from "./fit-options.js";
import { LossGrowthGuard } from "./loss-growth.js";

export { type BatchPlan, type LengthBucketOptions, lengthBuckets } from "./buckets.js";
export type { CheckpointOptions, EarlyStoppingOptions, FitOptions } from "./fit-options.js";
export { DEFAULT_LOSS_GROWTH, type LossGrowthOptions } from "./loss-growth.js";
export {
  countCorrect,
  type FrameAccuracyOptions,
  type FrameCount,
  frameAccuracy,
  type Metric,
  type MetricContext,
} from "./metrics.js";

/** Progress events, in order; every index is 0-based. A CLI draws its progress bar from them. */
export type FitEvent =
  | {
      readonly type: "resume";
      readonly path: string;
      readonly epoch: number;
      readonly batch: number;
      readonly step: number;
    }
  | {
      readonly type: "epochStart";
      readonly epoch: number;
      readonly epochs: number;
      readonly batches: number;
      readonly step: number;
    }
  /** `batch` is the batch just trained, `step` the optimizer steps taken so far (this one included). */
  | {
      readonly type: "batchEnd";
      readonly epoch: number;
      readonly batch: number;
      readonly batches: number;
      readonly step: number;
      readonly loss: number;
      readonly lr: number | null;
    }
  | ({ readonly type: "epochEnd"; readonly epochs: number } & EpochRecord)
  /** A checkpoint was written; `epoch`/`batch` is where a resume will continue. */
  | {
      readonly type: "checkpoint";
      readonly path: string;
      readonly epoch: number;
      readonly batch: number;
      readonly step: number;
    }
  | {
      readonly type: "earlyStop";
      readonly epoch: number;
      readonly bestEpoch: number;
      /** The best value of the monitored quantity (a loss or a metric, see `monitor`). */
      readonly bestLoss: number;
      readonly monitor: string;
      /** Whether the best epoch's weights were put back into the trainer. */
      readonly restored: boolean;
    }
  /**
   * `signal` was aborted: training stopped after the batch in flight; `epoch`/`batch` is where a resume will
   * continue, `checkpoint` the file written there (absent without the `checkpoint` option).
   */
  | {
      readonly type: "interrupted";
      readonly epoch: number;
      readonly batch: number;
      readonly step: number;
      readonly checkpoint?: string;
    };

/** What `fit` returns: one record per finished epoch (resumed runs include the epochs before the resume). */
export interface History {
  readonly epochs: readonly EpochRecord[];
  /** `"interrupted"`: `signal` was aborted (resume from the checkpoint to continue). */
  readonly stopReason: "completed" | "earlyStop" | "interrupted";
  /**
   * Epoch with the best monitored value (early stopping's monitor; else the validation loss when there is a
   * validation set, else the training loss), or `null`.
   */
  readonly bestEpoch: number | null;
  /** Optimizer steps taken since the start of training. */
  readonly steps: number;
}

/**
 * Trains `trainer` on `trainSet`: each epoch shuffles the example indices with the seed, cuts them into
 * batches of `batchSize` (the last may be smaller) — or takes the epoch's batches from `batches` — and calls
 * `trainer.step` on each; then evaluates the validation set and the metrics, records the epoch, maybe stops
 * early and maybe writes a checkpoint. With `earlyStopping.restoreBest` the trainer ends holding the best
 * epoch's weights.
 * @throws TrainError `BAD_OPTIONS` before anything runs when an option is unknown or invalid;
 *   `CHECKPOINT_NOT_FOUND` / `BAD_CHECKPOINT` / `RESUME_MISMATCH` when resuming fails;
 *   TrainingDivergedError (`DIVERGED`) when a loss or gradient norm is NaN or infinite, or the loss grows past
 *   the `divergence` limit — no checkpoint of that state is written; and whatever the trainer, the dataset or the checkpoint store throws.
 */
export async function fit(trainer: Trainer, trainSet: Dataset, options: FitOptions): Promise<History> {
  const o = await resolveFitOptions(trainSet, options);
  const fingerprint = fingerprintOf(o);
  const N = trainSet.size;
  const planOf = (epoch: number): readonly (readonly number[])[] => {
    if (o.batches !== undefined) return checkPlan(o.batches(epoch), epoch, N);
    const order = Array.from({ length: N }, (_, i) => i);
    if (o.shuffle) shuffle(order, createRng(o.seed, `fit.shuffle/${epoch}`));
    return Array.from({ length: Math.ceil(N / o.batchSize) }, (_, b) =>
      order.slice(b * o.batchSize, (b + 1) * o.batchSize),
    );
  };
  const emit = async (event: FitEvent) => {
    await o.onEvent?.(event);
  };
  let position: TrainPosition = { epoch: 0, batch: 0, step: 0, seed: o.seed, lossSum: 0, examples: 0, seconds: 0 };
  const history: EpochRecord[] = [];
  let best: Checkpoint["best"];

  const resumed = await loadResume(o, fingerprint, planOf);
  if (resumed !== undefined) {
    const { checkpoint: ck, path } = resumed;
    trainer.restore(ck.weights, ck.optimizer);
    position = ck.position;
    history.push(...ck.history);
    best = ck.best;
    await emit({ type: "resume", path, epoch: position.epoch, batch: position.batch, step: position.step });
  }

  const save = async (at: TrainPosition) => {
    if (o.checkpoint === undefined) return;
    const weights = trainer.weights();
    checkFinite(weights, at);
    const ck: Checkpoint = {
      weights,
      optimizer: trainer.state(),
      position: at,
      history,
      fingerprint,
      ...(best !== undefined ? { best } : {}),
    };
    await o.checkpoint.io.save(o.checkpoint.path, ck);
    await emit({ type: "checkpoint", path: o.checkpoint.path, epoch: at.epoch, batch: at.batch, step: at.step });
  };

  // A resumed run takes its first step after the resume as the reference (documented on FitOptions.divergence).
  const growth = o.divergence === undefined ? undefined : new LossGrowthGuard(o.divergence.factor, o.divergence.window);
  let step = position.step;
  let stopped = o.earlyStopping !== undefined && shouldStop(history, o.earlyStopping);
  let interrupted = false;
  const interrupt = async (at: TrainPosition) => {
    interrupted = true;
    await save(at);
    await emit({
      type: "interrupted",
      epoch: at.epoch,
      batch: at.batch,
      step: at.step,
      ...(o.checkpoint !== undefined ? { checkpoint: o.checkpoint.path } : {}),
    });
  };
  for (let epoch = position.epoch; epoch < o.epochs && !stopped && !interrupted; epoch++) {
    const midEpoch = epoch === position.epoch;
    const started = performance.now() - (midEpoch ? position.seconds * 1000 : 0);
    const seconds = () => (performance.now() - started) / 1000;
    let lossSum = midEpoch ? position.lossSum : 0;
    let examples = midEpoch ? position.examples : 0;
    let lr: number | null = null;
    const plan = planOf(epoch);
    const batches = plan.length;
    await emit({ type: "epochStart", epoch, epochs: o.epochs, batches, step });

    for (let b = midEpoch ? position.batch : 0; b < batches; b++) {
      const indices = plan[b]!;
      const batch = trainSet.batch(indices);
      if (o.learningRate !== undefined) {
        lr = o.learningRate(step, epoch, history);
        if (!Number.isFinite(lr) || lr < 0) {
          throw new TrainError(
            "BAD_OPTIONS",
            `learningRate(${step}, ${epoch}) returned ${lr}; expected a finite number >= 0`,
          );
        }
        trainer.setLearningRate(lr);
      }
      const { loss, gradNorm } = await trainer.step(batch);
      if (!Number.isFinite(loss)) {
        throw new TrainingDivergedError({ epoch, batch: b, step, value: loss, quantity: "loss" });
      }
      if (!Number.isFinite(gradNorm)) {
        throw new TrainingDivergedError({ epoch, batch: b, step, value: gradNorm, quantity: "gradNorm" });
      }
      const grown = growth?.observe(loss);
      if (grown !== undefined) {
        throw new TrainingDivergedError({
          epoch,
          batch: b,
          step,
          value: grown.mean,
          quantity: "lossGrowth",
          growth: grown,
        });
      }
      step++;
      lossSum += loss * indices.length;
      examples += indices.length;
      await emit({ type: "batchEnd", epoch, batch: b, batches, step, loss, lr });
      // An interrupt at the epoch's last batch lets the epoch finish (validation, record) and stops after it.
      if (o.signal?.aborted && b < batches - 1) {
        await interrupt({ epoch, batch: b + 1, step, seed: o.seed, lossSum, examples, seconds: seconds() });
        break;
      }
      if (typeof o.checkpoint?.every === "number" && step % o.checkpoint.every === 0 && b < batches - 1) {
        await save({ epoch, batch: b + 1, step, seed: o.seed, lossSum, examples, seconds: seconds() });
      }
    }
    if (interrupted) break;

    const valLoss = o.validation === undefined ? null : await evaluate(trainer, o.validation, o.validationBatchSize);
    if (valLoss !== null && !Number.isFinite(valLoss)) {
      throw new TrainingDivergedError({ epoch, batch: -1, step, value: valLoss, quantity: "valLoss" });
    }
    const metrics: Record<string, number> = {};
    for (const [name, metric] of Object.entries(o.metrics)) {
      const value = await metric({ trainer, epoch });
      if (typeof value !== "number" || !Number.isFinite(value)) {
        throw new TrainError(
          "BAD_OPTIONS",
          `metric "${name}" returned ${String(value)} after epoch ${epoch}; expected a finite number`,
        );
      }
      metrics[name] = value;
    }
    const record: EpochRecord = {
      epoch,
      trainLoss: lossSum / examples,
      valLoss,
      lr,
      seconds: seconds(),
      ...(Object.keys(metrics).length > 0 ? { metrics } : {}),
    };
    history.push(record);
    if (o.earlyStopping?.restoreBest && bestOf(history, o.earlyStopping)?.epoch === epoch) {
      best = { epoch, weights: trainer.weights() };
    }
    await emit({ type: "epochEnd", epochs: o.epochs, ...record });
    stopped = o.earlyStopping !== undefined && shouldStop(history, o.earlyStopping);
    const at: TrainPosition = { epoch: epoch + 1, batch: 0, step, seed: o.seed, lossSum: 0, examples: 0, seconds: 0 };
    if (o.signal?.aborted && !stopped && epoch + 1 < o.epochs) {
      await interrupt(at);
      break;
    }
    const every = o.checkpoint?.every;
    if (every === "epoch" || (typeof every === "number" && (step % every === 0 || stopped))) await save(at);
  }

  if (stopped && o.earlyStopping !== undefined) {
    const top = bestOf(history, o.earlyStopping)!;
    const restored = o.earlyStopping.restoreBest && best !== undefined;
    if (restored) trainer.restore(best!.weights, trainer.state());
    const last = history[history.length - 1]!.epoch;
    await emit({
      type: "earlyStop",
      epoch: last,
      bestEpoch: top.epoch,
      bestLoss: top.loss,
      monitor: o.earlyStopping.monitor,
      restored,
    });
  } else if (
    !interrupted &&
    o.earlyStopping?.restoreBest &&
    best !== undefined &&
    best.epoch !== history.at(-1)?.epoch
  ) {
    // Ran to the last epoch, but an earlier one was better: end with the best weights, as promised.
    trainer.restore(best.weights, trainer.state());
  }
  const monitor = o.earlyStopping ?? {
    monitor: o.validation === undefined ? "trainLoss" : "valLoss",
    minDelta: 0,
    mode: "min" as const,
  };
  return {
    epochs: history,
    stopReason: interrupted ? "interrupted" : stopped ? "earlyStop" : "completed",
    bestEpoch: bestOf(history, monitor)?.epoch ?? null,
    steps: step,
  };
}

/** A step can leave NaN/Inf weights behind a finite loss (the loss is computed before the update). */
function checkFinite(weights: Weights, at: TrainPosition): void {
  for (const [key, t] of Object.entries(weights)) {
    const bad = t.data.find((v) => !Number.isFinite(v));
    if (bad !== undefined) {
      const epoch = at.batch === 0 ? at.epoch - 1 : at.epoch;
      throw new TrainingDivergedError({
        epoch,
        batch: -1,
        step: at.step,
        value: bad,
        quantity: "weights",
        weight: key,
      });
    }
  }
}

/** Mean loss over a dataset, batches in index order, weighted by examples per batch. */
async function evaluate(trainer: Trainer, data: Dataset, batchSize: number): Promise<number> {
  let sum = 0;
  for (let start = 0; start < data.size; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, data.size - start) }, (_, i) => start + i);
    const { loss } = await trainer.evaluate(data.batch(indices));
    sum += loss * indices.length;
  }
  return sum / data.size;
}

/** A batch plan's batches, checked: non-empty lists of integer indices in 0..N−1. */
function checkPlan(plan: readonly (readonly number[])[], epoch: number, N: number): readonly (readonly number[])[] {
  if (!Array.isArray(plan) || plan.length === 0) {
    throw new TrainError(
      "BAD_OPTIONS",
      `fit: batches(${epoch}) returned no batches; expected a non-empty array of index arrays`,
    );
  }
  plan.forEach((batch, b) => {
    if (!Array.isArray(batch) || batch.length === 0) {
      throw new TrainError("BAD_OPTIONS", `fit: batches(${epoch})[${b}] is empty or not an array of indices`);
    }
    const bad = batch.find((i) => !Number.isInteger(i) || i < 0 || i >= N);
    if (bad !== undefined) {
      throw new TrainError(
        "BAD_OPTIONS",
        `fit: batches(${epoch})[${b}] holds index ${bad}; the training set has indices 0..${N - 1}`,
      );
    }
  });
  return plan;
}

async function loadResume(
  o: ResolvedFit,
  fingerprint: string,
  planOf: (epoch: number) => readonly (readonly number[])[],
): Promise<{ checkpoint: Checkpoint; path: string } | undefined> {
  if (o.resume === undefined) return undefined;
  const { path, io, required } = o.resume;
  const checkpoint = await io.load(path);
  if (checkpoint === undefined) {
    if (!required) return undefined;
    throw new TrainError("CHECKPOINT_NOT_FOUND", `resume: no checkpoint at "${path}"`);
  }
  checkFingerprint(path, checkpoint.fingerprint, fingerprint);
  const batches =
    checkpoint.position.epoch < o.epochs ? planOf(checkpoint.position.epoch).length : Number.POSITIVE_INFINITY;
  if (checkpoint.position.batch >= batches) {
    throw new TrainError(
      "RESUME_MISMATCH",
      `resume: checkpoint "${path}" stopped after batch ${checkpoint.position.batch} of an epoch that now has ${batches} batches`,
    );
  }
  return { checkpoint, path };
}

function checkFingerprint(path: string, saved: string, now: string): void {
  if (saved === now) return;
  let before: Record<string, unknown> = {};
  try {
    before = JSON.parse(saved) as Record<string, unknown>;
  } catch {
    // A foreign fingerprint: every field differs.
  }
  const after = JSON.parse(now) as Record<string, unknown>;
  const diffs = Object.keys(after)
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map((k) => `${k}: checkpoint ${JSON.stringify(before[k])}, now ${JSON.stringify(after[k])}`);
  throw new TrainError(
    "RESUME_MISMATCH",
    `resume: checkpoint "${path}" was written by a different run (${diffs.join("; ")}). ` +
      "An exact resume needs the same data, batch size, shuffling and seed; start a new run or restore those options.",
  );
}
