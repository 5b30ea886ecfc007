/**
 * The torch-generated training fixtures every training backend checks itself against
 * (tooling/optim-fixtures/generate.py writes `training-fixtures/*.json` beside this package's `src/`):
 * torch.optim steps, torch.nn.utils gradient clipping, and whole training steps of a small LSTM + dense model
 * (MSE and binary cross-entropy losses, frozen weights).
 * Node-only (reads files). The numbers come from PyTorch, never from a backend.
 */
import { readFileSync } from "node:fs";
import {
  assertValid,
  dense,
  input,
  lstm,
  type OptimizerConfig,
  sequential,
  type TrainBatch,
  type TrainConfig,
  type ValidModel,
} from "@recurrent/core";
import type { FixtureTensor } from "./fixture.js";
import { toTensor } from "./materialize.js";

/** One optimizer run: fixed params and gradients, then params and slots (OptimizerState names) after each step. */
export interface OptimizerFixtureCase {
  readonly name: string;
  readonly config: OptimizerConfig;
  /** Learning rate of each step when the run changes it (else `config.lr` throughout). */
  readonly lrs?: readonly number[];
  readonly params: Readonly<Record<string, FixtureTensor>>;
  readonly grads: readonly Readonly<Record<string, FixtureTensor>>[];
  readonly steps: readonly {
    readonly params: Readonly<Record<string, FixtureTensor>>;
    readonly slots: Readonly<Record<string, FixtureTensor>>;
  }[];
}

/** One clipping case: the gradients, their pre-clip global L2 norm and the gradients clipped (norm, then value). */
export interface ClippingFixtureCase {
  readonly name: string;
  readonly clipNorm?: number;
  readonly clipValue?: number;
  readonly grads: Readonly<Record<string, FixtureTensor>>;
  readonly totalNorm: number;
  readonly clipped: Readonly<Record<string, FixtureTensor>>;
}

/**
 * Whole training steps of a hand-written masked LSTM + dense (masked MSE or binary cross-entropy, torch.optim,
 * clip_grad_norm_; with truncated BPTT, chunks of k steps with detached carried states; frozen weights left out of
 * the optimizer and of the clipping). Build a case's model with {@link trainerFixtureModel} and its batch i with
 * {@link trainerFixtureBatch}.
 */
export interface TrainerFixture {
  /** Input features D, LSTM units H, output units O. */
  readonly model: { readonly D: number; readonly H: number; readonly O: number };
  readonly weights: Readonly<Record<string, FixtureTensor>>;
  /**
   * `x` [T, B, D], `target` [T, B, O] (MSE) and `binaryTarget` [T, B, O] (binary cross-entropy: 0/1 labels and
   * soft values in (0, 1) at valid steps, 2 at padded steps, which the loss must never read) of each step.
   */
  readonly batches: readonly {
    readonly x: FixtureTensor;
    readonly target: FixtureTensor;
    readonly binaryTarget: FixtureTensor;
  }[];
  readonly cases: readonly TrainerFixtureCase[];
}

/** One trainer fixture case: a config trained for one step per batch. */
export interface TrainerFixtureCase {
  readonly name: string;
  readonly config: TrainConfig;
  /** The activation of the dense `out` (default `"linear"`): `"sigmoid"` for a loss on probabilities. */
  readonly outActivation?: "linear" | "sigmoid";
  /** Which target of each batch the loss reads (default `"target"`). */
  readonly targets?: "target" | "binaryTarget";
  /** The lengths fed with every batch, one per sample. */
  readonly lengths: readonly number[];
  /** After each step: its loss, its pre-clip gradient norm (over the weights not frozen) and the weights. */
  readonly steps: readonly {
    readonly loss: number;
    readonly gradNorm: number;
    readonly weights: Readonly<Record<string, FixtureTensor>>;
  }[];
}

/** What each training fixture file holds. */
export interface TrainingFixtures {
  readonly optimizers: { readonly cases: readonly OptimizerFixtureCase[] };
  readonly clipping: { readonly cases: readonly ClippingFixtureCase[] };
  readonly trainer: TrainerFixture;
}

/** The folder holding the training fixture files (works from `src/` and from `dist/`). */
export const trainingFixturesDir: URL = new URL("../training-fixtures/", import.meta.url);

/**
 * Reads `training-fixtures/<name>.json`. The file is trusted (generated and committed with this package); a missing
 * or malformed one throws the error of `readFileSync` / `JSON.parse`.
 */
export function loadTrainingFixture<K extends keyof TrainingFixtures>(name: K): TrainingFixtures[K] {
  return JSON.parse(readFileSync(new URL(`${name}.json`, trainingFixturesDir), "utf8")) as TrainingFixtures[K];
}

/**
 * The model of the trainer fixture: input `x` [time, batch, D] → lstm `rnn` (H units) → dense `out` (O units,
 * activation `outActivation`, default linear; pass a case's `outActivation`).
 */
export function trainerFixtureModel(fx: TrainerFixture, outActivation: "linear" | "sigmoid" = "linear"): ValidModel {
  return assertValid(
    sequential("fixture", [
      input("x", fx.model.D),
      lstm("rnn", { units: fx.model.H }),
      dense("out", { units: fx.model.O, activation: outActivation }),
    ]),
  );
}

/**
 * Batch `i` of the trainer fixture as float32 tensors, with `lengths` fed as `lengths` and the target named by
 * `targets` (a case's `targets`; default the MSE `target`).
 * @throws RangeError when the fixture has no batch `i`.
 */
export function trainerFixtureBatch(
  fx: TrainerFixture,
  i: number,
  lengths: readonly number[],
  targets: "target" | "binaryTarget" = "target",
): TrainBatch {
  const b = fx.batches[i];
  if (b === undefined) throw new RangeError(`trainer fixture: no batch ${i} (it has ${fx.batches.length})`);
  return { inputs: { x: toTensor(b.x), lengths: Int32Array.from(lengths) }, target: toTensor(b[targets]) };
}
