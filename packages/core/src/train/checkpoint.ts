/**
 * Training checkpoints as one `.safetensors` buffer: weights as `w/<key>`, optimizer slots as `opt/<slot>`,
 * the best weights seen so far (early stopping with `restoreBest`) as `best/<key>`, and the position, history,
 * optimizer step, fingerprint and format version as JSON strings in `__metadata__`.
 */
import type { OptimizerState } from "../backend/backend.js";
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from "../io/safetensors.js";
import type { Tensor } from "../tensor/tensor.js";
import type { Weights } from "../weights/weights.js";
import { TrainError } from "./errors.js";

/** The checkpoint format version written into `__metadata__["recurrent.checkpoint"]`. */
export const CHECKPOINT_FORMAT = "recurrent.checkpoint/1";

/** Where a run stands. `batch` counts the batches of epoch `epoch` already trained (0 = at its start). */
export interface TrainPosition {
  /** Epoch in progress (0-based); equals the number of completed epochs when `batch` is 0. */
  readonly epoch: number;
  /** Batches of that epoch already trained. */
  readonly batch: number;
  /** Optimizer steps taken since the start of training. */
  readonly step: number;
  /** Seed of the shuffler: the order of epoch e is a function of (seed, e) only. */
  readonly seed: number;
  /** Σ loss·examples over the batches of this epoch already trained (to finish the epoch's mean loss). */
  readonly lossSum: number;
  /** Examples of this epoch already trained. */
  readonly examples: number;
  /** Seconds spent in this epoch so far. */
  readonly seconds: number;
}

/** One finished epoch. */
export interface EpochRecord {
  /** 0-based. */
  readonly epoch: number;
  /** Mean training loss over the epoch's batches, weighted by examples per batch. */
  readonly trainLoss: number;
  /** Mean validation loss after the epoch, weighted by examples per batch; `null` without validation. */
  readonly valLoss: number | null;
  /** Learning rate of the epoch's last step when a schedule is set, else `null`. */
  readonly lr: number | null;
  /** Wall-clock seconds of the epoch, validation included. */
  readonly seconds: number;
  /** Values of `fit`'s `metrics` after the epoch, by name; absent when no metric is set. */
  readonly metrics?: Readonly<Record<string, number>>;
}

/** Everything needed to continue a run exactly where it stopped. */
export interface Checkpoint {
  readonly weights: Weights;
  readonly optimizer: OptimizerState;
  readonly position: TrainPosition;
  readonly history: readonly EpochRecord[];
  /** Identifies the data, batching and seed of the run (and anything the caller adds); checked on resume. */
  readonly fingerprint: string;
  /** Best weights so far and their epoch (early stopping with `restoreBest`). */
  readonly best?: { readonly epoch: number; readonly weights: Weights };
}

const KEY = {
  format: "recurrent.checkpoint",
  position: "position",
  history: "history",
  step: "optimizer.step",
  fingerprint: "fingerprint",
  bestEpoch: "best.epoch",
} as const;

const PREFIX = { weights: "w/", optimizer: "opt/", best: "best/" } as const;

/**
 * Encodes a checkpoint as `.safetensors` bytes.
 * @throws SafetensorsError when a tensor is malformed; TrainError `BAD_CHECKPOINT` when a number in the
 *   position or history is not finite (JSON cannot hold it).
 */
export function encodeCheckpoint(ck: Checkpoint): Uint8Array {
  const tensors: Record<string, Tensor> = {};
  const put = (prefix: string, source: Readonly<Record<string, Tensor>>) => {
    for (const [key, t] of Object.entries(source)) tensors[prefix + key] = t;
  };
  put(PREFIX.weights, ck.weights);
  put(PREFIX.optimizer, ck.optimizer.slots);
  if (ck.best !== undefined) put(PREFIX.best, ck.best.weights);
  const metadata: Record<string, string> = {
    [KEY.format]: CHECKPOINT_FORMAT,
    [KEY.position]: finiteJson("position", ck.position),
    [KEY.history]: finiteJson("history", ck.history),
    [KEY.step]: String(ck.optimizer.step),
    [KEY.fingerprint]: ck.fingerprint,
  };
  if (ck.best !== undefined) metadata[KEY.bestEpoch] = String(ck.best.epoch);
  return encodeSafetensors(tensors, metadata);
}

/**
 * Decodes bytes written by {@link encodeCheckpoint}.
 * @throws TrainError `BAD_CHECKPOINT` naming the field when the bytes are not safetensors, the format version is
 *   missing or unknown, or the position/history/optimizer step is malformed.
 */
export function decodeCheckpoint(bytes: Uint8Array, source = "checkpoint"): Checkpoint {
  let decoded: ReturnType<typeof decodeSafetensors>;
  try {
    decoded = decodeSafetensors(bytes);
  } catch (e) {
    if (!(e instanceof SafetensorsError)) throw e;
    throw bad(source, `it is not a valid safetensors file (${e.code}: ${e.message})`);
  }
  const { tensors, metadata } = decoded;
  const format = metadata[KEY.format];
  if (format !== CHECKPOINT_FORMAT) {
    throw bad(
      source,
      format === undefined
        ? `__metadata__ has no "${KEY.format}" key; is this a model file rather than a checkpoint?`
        : `format is "${format}", expected "${CHECKPOINT_FORMAT}" (written by another version of @recurrent/core?)`,
    );
  }
  const weights: Record<string, Tensor> = {};
  const slots: Record<string, Tensor> = {};
  const best: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(tensors)) {
    if (name.startsWith(PREFIX.weights)) weights[name.slice(PREFIX.weights.length)] = t;
    else if (name.startsWith(PREFIX.optimizer)) slots[name.slice(PREFIX.optimizer.length)] = t;
    else if (name.startsWith(PREFIX.best)) best[name.slice(PREFIX.best.length)] = t;
    else throw bad(source, `tensor "${name}" has none of the prefixes w/, opt/, best/`);
  }
  const position = readPosition(source, parseJson(source, KEY.position, metadata[KEY.position]));
  const history = readHistory(source, parseJson(source, KEY.history, metadata[KEY.history]));
  const step = count(source, KEY.step, Number(metadata[KEY.step] ?? Number.NaN));
  const fingerprint = metadata[KEY.fingerprint];
  if (fingerprint === undefined) throw bad(source, `__metadata__ has no "${KEY.fingerprint}"`);
  const ck: Checkpoint = { weights, optimizer: { step, slots }, position, history, fingerprint };
  const bestEpoch = metadata[KEY.bestEpoch];
  if (bestEpoch === undefined) return ck;
  return { ...ck, best: { epoch: count(source, KEY.bestEpoch, Number(bestEpoch)), weights: best } };
}

function bad(source: string, what: string): TrainError {
  return new TrainError("BAD_CHECKPOINT", `Cannot read ${source}: ${what}`);
}

function finiteJson(field: string, value: unknown): string {
  return JSON.stringify(value, (key, v) => {
    if (typeof v === "number" && !Number.isFinite(v)) {
      throw new TrainError("BAD_CHECKPOINT", `checkpoint ${field}: "${key}" is ${v}; only finite numbers can be saved`);
    }
    return v;
  });
}

function parseJson(source: string, key: string, text: string | undefined): unknown {
  if (text === undefined) throw bad(source, `__metadata__ has no "${key}"`);
  try {
    return JSON.parse(text);
  } catch {
    throw bad(source, `__metadata__ "${key}" is not JSON: ${text.slice(0, 60)}`);
  }
}

function count(source: string, field: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    throw bad(source, `${field} must be a non-negative integer, found ${JSON.stringify(v)}`);
  }
  return v;
}

function finite(source: string, field: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw bad(source, `${field} must be a finite number, found ${JSON.stringify(v)}`);
  }
  return v;
}

function record(source: string, field: string, v: unknown): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw bad(source, `${field} must be a JSON object`);
  return v as Record<string, unknown>;
}

function readPosition(source: string, v: unknown): TrainPosition {
  const p = record(source, "position", v);
  return {
    epoch: count(source, "position.epoch", p.epoch),
    batch: count(source, "position.batch", p.batch),
    step: count(source, "position.step", p.step),
    seed: finite(source, "position.seed", p.seed),
    lossSum: finite(source, "position.lossSum", p.lossSum),
    examples: count(source, "position.examples", p.examples),
    seconds: finite(source, "position.seconds", p.seconds),
  };
}

function readHistory(source: string, v: unknown): EpochRecord[] {
  if (!Array.isArray(v)) throw bad(source, "history must be a JSON array");
  return v.map((item, i) => {
    const r = record(source, `history[${i}]`, item);
    const orNull = (name: string) => (r[name] === null ? null : finite(source, `history[${i}].${name}`, r[name]));
    const epoch: EpochRecord = {
      epoch: count(source, `history[${i}].epoch`, r.epoch),
      trainLoss: finite(source, `history[${i}].trainLoss`, r.trainLoss),
      valLoss: orNull("valLoss"),
      lr: orNull("lr"),
      seconds: finite(source, `history[${i}].seconds`, r.seconds),
    };
    if (r.metrics === undefined) return epoch;
    const m = record(source, `history[${i}].metrics`, r.metrics);
    const metrics = Object.fromEntries(
      Object.entries(m).map(([k, v]) => [k, finite(source, `history[${i}].metrics.${k}`, v)]),
    );
    return { ...epoch, metrics };
  });
}

/**
 * Where `fit` keeps checkpoints. In Node the default is the file system (`nodeCheckpointIO` from
 * `@recurrent/core/node`); in a browser pass one backed by IndexedDB, OPFS or memory.
 */
export interface CheckpointIO {
  /** Stores a checkpoint so that a crash at any moment leaves either the old one or the new one intact. */
  save(path: string, checkpoint: Checkpoint): Promise<void>;
  /** The stored checkpoint, or `undefined` when there is none. @throws TrainError `BAD_CHECKPOINT`. */
  load(path: string): Promise<Checkpoint | undefined>;
}
