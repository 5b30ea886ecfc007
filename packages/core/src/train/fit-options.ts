/**
 * `fit` options: their types, defaults and checks (every one before anything runs).
 */
import type { BatchPlan } from "./buckets.js";
import type { CheckpointIO, EpochRecord } from "./checkpoint.js";
import type { Dataset } from "./dataset.js";
import { TrainError } from "./errors.js";
import type { FitEvent } from "./fit.js";
import { type LossGrowthOptions, resolveLossGrowth } from "./loss-growth.js";
import type { Metric } from "./metrics.js";

/** Where and how often `fit` writes checkpoints. */
export interface CheckpointOptions {
  readonly path: string;
  /** `"epoch"` (default): after every epoch; a number n: after every n optimizer steps (and at epoch ends that fall on one). */
  readonly every?: "epoch" | number;
  /** Storage; default the file system in Node (atomic temp-file + rename). Required in browsers. */
  readonly io?: CheckpointIO;
}

/** Stop when the monitored value has not improved for `patience` epochs. */
export interface EarlyStoppingOptions {
  readonly patience: number;
  /** Smallest change that counts as an improvement; default 0. */
  readonly minDelta?: number;
  /**
   * Put the best epoch's weights back into the trainer at the end (when stopping early and when the last epoch
   * is not the best); default false.
   */
  readonly restoreBest?: boolean;
  /** `"valLoss"` (default; needs `validation`), `"trainLoss"`, or the name of one of `metrics`. */
  readonly monitor?: string;
  /** `"min"` (lower is better) or `"max"`; default `"min"` for the losses, `"max"` for a metric. */
  readonly mode?: "min" | "max";
}

/** Options of `fit`. Unknown keys are rejected. */
export interface FitOptions {
  /** Total epochs (a resumed run continues up to this many). */
  readonly epochs: number;
  /** Examples per optimizer step; default 32. 1 is plain SGD. */
  readonly batchSize?: number;
  /** Shuffle the examples every epoch; default true. */
  readonly shuffle?: boolean;
  /** Seed of the shuffler; default 0. The order of epoch e depends only on (seed, e). */
  readonly seed?: number;
  /** Evaluated after every epoch with `trainer.evaluate`. */
  readonly validation?: Dataset;
  /** Default `batchSize`. */
  readonly validationBatchSize?: number;
  /**
   * The learning rate of each step (e.g. `cosineDecay`, or `reduceOnPlateau`, which reads `history`, the epochs
   * finished so far); `step` is 0-based, global.
   */
  readonly learningRate?: (step: number, epoch: number, history: readonly EpochRecord[]) => number;
  /**
   * Computed after every epoch (after validation) and recorded in `EpochRecord.metrics`; early stopping can
   * monitor one by name. E.g. `{ accuracy: frameAccuracy({ … }) }`.
   */
  readonly metrics?: Readonly<Record<string, Metric>>;
  /**
   * The batches of each epoch instead of shuffled slices of `batchSize` (e.g. `lengthBuckets(lengths, …)`); must
   * be a function of the epoch only, so that a resume sees the same batches. `batchSize` is then unused.
   */
  readonly batches?: BatchPlan;
  /**
   * Aborting it stops training after the batch in flight: a checkpoint of that position is written (when
   * `checkpoint` is set) and `fit` returns with `stopReason: "interrupted"`. A CLI wires it to SIGINT.
   */
  readonly signal?: AbortSignal;
  readonly earlyStopping?: EarlyStoppingOptions;
  /** A path (checkpoint after every epoch) or full options. */
  readonly checkpoint?: string | CheckpointOptions;
  /**
   * `true`: continue from `checkpoint`'s file when it exists (else start fresh); a path: continue from that file,
   * which must exist. The data, batch size, shuffling, seed and `fingerprint` must match the checkpoint's.
   */
  readonly resume?: boolean | string;
  /** Anything else that must match on resume, e.g. a hash of the model and `TrainConfig`. */
  readonly fingerprint?: string;
  /** Progress events; awaited when it returns a promise. */
  readonly onEvent?: (event: FitEvent) => void | Promise<void>;
  /**
   * Stop with `TrainingDivergedError` when the loss explodes while staying finite: the mean of the last `window`
   * step losses over `factor` × the first step's loss (default `{ factor: 1000, window: 10 }`); `false` turns it
   * off. NaN and ±Infinity always stop the run.
   */
  readonly divergence?: false | LossGrowthOptions;
}

/** Options with defaults applied and storage resolved. */
export interface ResolvedFit {
  readonly epochs: number;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly trainSize: number;
  readonly validation: Dataset | undefined;
  readonly validationBatchSize: number;
  readonly learningRate: FitOptions["learningRate"];
  readonly metrics: Readonly<Record<string, Metric>>;
  readonly batches: BatchPlan | undefined;
  readonly signal: AbortSignal | undefined;
  readonly earlyStopping:
    | {
        readonly patience: number;
        readonly minDelta: number;
        readonly restoreBest: boolean;
        readonly monitor: string;
        readonly mode: "min" | "max";
      }
    | undefined;
  readonly checkpoint:
    | { readonly path: string; readonly every: "epoch" | number; readonly io: CheckpointIO }
    | undefined;
  readonly resume: { readonly path: string; readonly io: CheckpointIO; readonly required: boolean } | undefined;
  readonly fingerprint: string | undefined;
  readonly onEvent: ((event: FitEvent) => void | Promise<void>) | undefined;
  readonly divergence: { readonly factor: number; readonly window: number } | undefined;
}

const FIT_KEYS: readonly (keyof FitOptions)[] = [
  "epochs",
  "batchSize",
  "shuffle",
  "seed",
  "validation",
  "validationBatchSize",
  "learningRate",
  "earlyStopping",
  "checkpoint",
  "resume",
  "fingerprint",
  "onEvent",
  "divergence",
  "metrics",
  "batches",
  "signal",
];
const CHECKPOINT_KEYS: readonly (keyof CheckpointOptions)[] = ["path", "every", "io"];
const EARLY_KEYS: readonly (keyof EarlyStoppingOptions)[] = ["patience", "minDelta", "restoreBest", "monitor", "mode"];

/**
 * Checks every option and applies defaults; loads the Node checkpoint store when one is needed and none given.
 * @throws TrainError `BAD_OPTIONS` naming the option, what was expected and what was found.
 */
export async function resolveFitOptions(trainSet: Dataset, options: FitOptions): Promise<ResolvedFit> {
  if (typeof options !== "object" || options === null) fail("options", "an object", options);
  knownKeys("", options, FIT_KEYS);
  checkDataset("trainSet", trainSet);
  const { epochs, batchSize = 32, shuffle = true, seed = 0 } = options;
  if (!Number.isInteger(epochs) || epochs <= 0) fail("epochs", "a positive integer", epochs);
  if (!Number.isInteger(batchSize) || batchSize <= 0) fail("batchSize", "a positive integer", batchSize);
  if (typeof shuffle !== "boolean") fail("shuffle", "a boolean", shuffle);
  if (typeof seed !== "number" || !Number.isFinite(seed)) fail("seed", "a finite number", seed);
  if (options.validation !== undefined) checkDataset("validation", options.validation);
  const validationBatchSize = options.validationBatchSize ?? batchSize;
  if (!Number.isInteger(validationBatchSize) || validationBatchSize <= 0) {
    fail("validationBatchSize", "a positive integer", validationBatchSize);
  }
  for (const fn of ["learningRate", "onEvent", "batches"] as const) {
    if (options[fn] !== undefined && typeof options[fn] !== "function") fail(fn, "a function", options[fn]);
  }
  if (options.fingerprint !== undefined && typeof options.fingerprint !== "string") {
    fail("fingerprint", "a string", options.fingerprint);
  }
  const metrics = options.metrics ?? {};
  if (typeof metrics !== "object" || metrics === null) fail("metrics", "an object of named metric functions", metrics);
  for (const [name, fn] of Object.entries(metrics)) {
    if (typeof fn !== "function") fail(`metrics.${name}`, "a function", fn);
    if (name === "valLoss" || name === "trainLoss")
      fail(`metrics.${name}`, "a name other than valLoss/trainLoss", name);
  }
  const signal = options.signal;
  if (signal !== undefined && !(typeof signal === "object" && signal !== null && "aborted" in signal)) {
    fail("signal", "an AbortSignal", signal);
  }
  const earlyStopping = resolveEarlyStopping(options, metrics);
  const ck = typeof options.checkpoint === "string" ? { path: options.checkpoint } : options.checkpoint;
  if (ck !== undefined) {
    knownKeys("checkpoint.", ck, CHECKPOINT_KEYS);
    if (typeof ck.path !== "string" || ck.path === "") fail("checkpoint.path", "a non-empty string", ck.path);
    const every = ck.every ?? "epoch";
    if (every !== "epoch" && (!Number.isInteger(every) || every <= 0)) {
      fail("checkpoint.every", '"epoch" or a positive integer number of steps', every);
    }
  }
  const { resume } = options;
  if (resume !== undefined && typeof resume !== "boolean" && (typeof resume !== "string" || resume === "")) {
    fail("resume", "a boolean or a checkpoint path", resume);
  }
  if (resume === true && ck === undefined)
    fail("resume", "a path, or `checkpoint` to say where to resume from", resume);
  const needsIO = ck !== undefined || typeof resume === "string";
  const io = ck?.io ?? (needsIO ? await defaultIO() : undefined);
  return {
    epochs,
    batchSize,
    shuffle,
    seed,
    trainSize: trainSet.size,
    validation: options.validation,
    validationBatchSize,
    learningRate: options.learningRate,
    metrics,
    batches: options.batches,
    signal,
    earlyStopping,
    checkpoint: ck === undefined || io === undefined ? undefined : { path: ck.path, every: ck.every ?? "epoch", io },
    resume:
      resume === undefined || resume === false || io === undefined
        ? undefined
        : { path: resume === true ? ck!.path : resume, io, required: resume !== true },
    fingerprint: options.fingerprint,
    onEvent: options.onEvent,
    divergence: resolveLossGrowth(options.divergence),
  };
}

/** The run identity stored in checkpoints: what must not change for a resume to continue exactly. */
export function fingerprintOf(o: ResolvedFit): string {
  return JSON.stringify({
    trainSize: o.trainSize,
    batchSize: o.batchSize,
    shuffle: o.shuffle,
    seed: o.seed,
    validationSize: o.validation?.size ?? null,
    user: o.fingerprint ?? null,
    // A custom plan is identified by its first epoch's batch sizes (the caller's fingerprint can say more); the
    // key is absent otherwise, so checkpoints written before plans existed still resume.
    ...(o.batches === undefined
      ? {}
      : {
          batches: o
            .batches(0)
            .map((b) => b.length)
            .join(","),
        }),
  });
}

function resolveEarlyStopping(
  options: FitOptions,
  metrics: Readonly<Record<string, Metric>>,
): ResolvedFit["earlyStopping"] {
  const es = options.earlyStopping;
  if (es === undefined) return undefined;
  if (typeof es !== "object" || es === null) fail("earlyStopping", "an object { patience, … }", es);
  knownKeys("earlyStopping.", es, EARLY_KEYS);
  const { patience, minDelta = 0, restoreBest = false, monitor = "valLoss" } = es;
  const isLoss = monitor === "valLoss" || monitor === "trainLoss";
  const mode = es.mode ?? (isLoss ? "min" : "max");
  if (!Number.isInteger(patience) || patience < 0) fail("earlyStopping.patience", "an integer >= 0", patience);
  if (!Number.isFinite(minDelta) || minDelta < 0) fail("earlyStopping.minDelta", "a finite number >= 0", minDelta);
  if (typeof restoreBest !== "boolean") fail("earlyStopping.restoreBest", "a boolean", restoreBest);
  if (!isLoss && !Object.hasOwn(metrics, monitor)) {
    const names = ["valLoss", "trainLoss", ...Object.keys(metrics)].map((n) => `"${n}"`).join(", ");
    fail("earlyStopping.monitor", `one of ${names}`, monitor);
  }
  if (mode !== "min" && mode !== "max") fail("earlyStopping.mode", '"min" or "max"', mode);
  if (monitor === "valLoss" && options.validation === undefined) {
    throw new TrainError(
      "BAD_OPTIONS",
      'fit: earlyStopping monitors "valLoss" but no `validation` set was given; pass one or set monitor: "trainLoss"',
    );
  }
  return { patience, minDelta, restoreBest, monitor, mode };
}

/** Where the Node file store lives; a variable, so that bundlers do not pull node:fs into browser builds. */
const NODE_CHECKPOINT_MODULE = "./checkpoint-node.js";

async function defaultIO(): Promise<CheckpointIO> {
  if (typeof process === "undefined" || typeof process.versions?.node !== "string") {
    throw new TrainError(
      "BAD_OPTIONS",
      "fit: checkpoint needs a storage outside Node; pass checkpoint: { path, io } with your own CheckpointIO",
    );
  }
  // Loaded only when checkpoints are used in Node; the browser build never sees node:fs.
  const { nodeCheckpointIO } = (await import(/* @vite-ignore */ NODE_CHECKPOINT_MODULE)) as {
    nodeCheckpointIO: CheckpointIO;
  };
  return nodeCheckpointIO;
}

function checkDataset(name: string, d: Dataset): void {
  if (typeof d !== "object" || d === null || typeof d.batch !== "function")
    fail(name, "a Dataset { size, batch() }", d);
  if (!Number.isInteger(d.size) || d.size <= 0)
    fail(`${name}.size`, "a positive integer (an empty dataset cannot train)", d.size);
}

function knownKeys(prefix: string, value: object, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new TrainError(
        "BAD_OPTIONS",
        `fit: unknown option "${prefix}${key}"; expected one of ${known.map((k) => prefix + k).join(", ")}`,
      );
    }
  }
}

function fail(name: string, expected: string, found: unknown): never {
  const shown = typeof found === "function" ? "a function" : (JSON.stringify(found) ?? String(found));
  throw new TrainError("BAD_OPTIONS", `fit: option "${name}" must be ${expected}, found ${shown}`);
}
