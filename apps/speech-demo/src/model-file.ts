/**
 * Trained models on disk: core's `.safetensors` model file plus what the app needs to use it again, in the
 * file's metadata (keys in README "Model files"): the task, the zoo id or architecture, the class labels, the
 * feature recipe, the CMVN statistics fitted on its training utterances and how they are applied, the horizon
 * of a next-frame model and the command that made it. Labels, recipe and CMVN use the JSON shapes of the ONNX
 * export's `recurrent.labels` / `recurrent.features` / `recurrent.cmvn` (core reserves the `recurrent.`
 * prefix in model files, so here they are `speech-demo.*`).
 */
import { fileURLToPath } from "node:url";
import type { ValidModel, Weights } from "@recurrent/core";
import { loadModel, saveModel } from "@recurrent/core/node";
import {
  Cmvn,
  cmvnUtterance,
  type FloatTensor,
  MFCC_RECIPE,
  NUM_FEATURES,
  NUM_STATIC,
  PHONE_CLASSES,
} from "@recurrent/speech";
import { CliError, describeError } from "./cli/errors.js";
import { INPUT, OUTPUT, TASKS, type TaskName } from "./models.js";

/** The model shipped with the app (made by its own `train` command; see models/README.md). */
export const PRETRAINED_MODEL = fileURLToPath(new URL("../models/phones-lstm.safetensors", import.meta.url));

const KEY = "speech-demo";

/** How CMVN is applied: with the stored statistics of the training set, or per utterance on its own frames. */
export type CmvnMode = "global" | "utterance";
export const CMVN_MODES: readonly CmvnMode[] = ["global", "utterance"];

/** The feature recipe a model file records (`speech-demo.features`; the ONNX export's `recurrent.features`). */
export function featureRecipe(task: TaskName, mode: CmvnMode = "global"): Record<string, unknown> {
  const classify = task === "classify";
  return {
    ...MFCC_RECIPE,
    input: classify ? "all 39 values of each frame" : `the first ${NUM_STATIC} values (statics) of each frame`,
    normalization:
      mode === "global"
        ? "per dimension (x - cmvn.mean) / cmvn.std, after selecting the input values"
        : "per utterance: each dimension minus its mean over the utterance, divided by its standard deviation (cmvn is the identity)",
  };
}

/** A model file as the app uses it. */
export interface TrainedModel {
  readonly model: ValidModel;
  readonly weights: Weights;
  readonly task: TaskName;
  /** Zoo id (`lstm`, `blstm-sum`, …). */
  readonly zooId: string;
  /** Statistics of the model's input features (39-dim for classify, 13-dim for next-frame). */
  readonly cmvn: Cmvn;
  /** Next-frame models: frames ahead. */
  readonly horizon: number;
  /** Class names, index = output unit (classifiers; the 40 phone classes for files written before labels were stored). */
  readonly labels: readonly string[];
  readonly cmvnMode: CmvnMode;
  /** All string metadata of the file. */
  readonly metadata: Readonly<Record<string, string>>;
}

/** What {@link saveTrained} records besides the weights. */
export interface SaveInfo {
  readonly task: TaskName;
  readonly zooId: string;
  readonly cmvn: Cmvn;
  readonly horizon?: number;
  /** Classifiers: class names (default the 40 phone classes). */
  readonly labels?: readonly string[];
  /** Default "global". */
  readonly cmvnMode?: CmvnMode;
  /** Extra entries (e.g. the command line, accuracy). */
  readonly extra?: Readonly<Record<string, string>>;
}

/**
 * Saves a trained model atomically.
 * @throws CliError `FILE` when the file cannot be written.
 */
export async function saveTrained(path: string, model: ValidModel, weights: Weights, info: SaveInfo): Promise<void> {
  const metadata: Record<string, string> = {
    [`${KEY}.task`]: info.task,
    [`${KEY}.model`]: info.zooId,
    [`${KEY}.cmvn`]: JSON.stringify(info.cmvn.toJSON()),
    [`${KEY}.horizon`]: String(info.horizon ?? 0),
    [`${KEY}.features`]: JSON.stringify(featureRecipe(info.task, info.cmvnMode)),
    [`${KEY}.cmvn-mode`]: info.cmvnMode ?? "global",
  };
  if (info.task === "classify") metadata[`${KEY}.labels`] = JSON.stringify(info.labels ?? PHONE_CLASSES);
  for (const [k, v] of Object.entries(info.extra ?? {})) metadata[`${KEY}.${k}`] = v;
  try {
    await saveModel(path, model, weights, { metadata });
  } catch (err) {
    throw new CliError("FILE", `${path}: cannot write the model: ${describeError(err)}`);
  }
}

/**
 * Loads a model written by {@link saveTrained} and checks that it is one of the app's.
 * @throws CliError `FILE` when it cannot be read; `BAD_MODEL` when it is not a model file, lacks the app's
 *   metadata, or its input/output do not match its task.
 */
export async function loadTrained(path: string): Promise<TrainedModel> {
  let loaded: Awaited<ReturnType<typeof loadModel>>;
  try {
    loaded = await loadModel(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === "ENOENT") throw new CliError("FILE", `${path}: no such model file`);
    if (e.code === "EISDIR") throw new CliError("FILE", `${path}: is a directory, expected a .safetensors model`);
    throw new CliError(
      "BAD_MODEL",
      `${path}: not a Recurrent model file: ${describeError(err).replace(`${path}: `, "")}`,
    );
  }
  const m = loaded.metadata;
  const task = m[`${KEY}.task`] as TaskName | undefined;
  const zooId = m[`${KEY}.model`];
  const cmvnText = m[`${KEY}.cmvn`];
  if (task === undefined || !TASKS.includes(task) || zooId === undefined || cmvnText === undefined) {
    throw new CliError(
      "BAD_MODEL",
      `${path}: a Recurrent model, but not one made by recurrent-speech train (no ${KEY}.task/model/cmvn metadata)`,
    );
  }
  let cmvn: Cmvn;
  try {
    cmvn = Cmvn.fromJSON(JSON.parse(cmvnText));
  } catch (err) {
    throw new CliError(
      "BAD_MODEL",
      `${path}: metadata ${KEY}.cmvn is not valid CMVN statistics: ${describeError(err)}`,
    );
  }
  const dim = task === "classify" ? NUM_FEATURES : NUM_STATIC;
  const input = loaded.model.nodes.find((n) => n.op === "input" && n.id === INPUT);
  if (
    cmvn.dim !== dim ||
    input?.op !== "input" ||
    input.shape.at(-1) !== dim ||
    !loaded.model.outputs.includes(OUTPUT)
  ) {
    throw new CliError(
      "BAD_MODEL",
      `${path}: a ${task} model must read "${INPUT}" [time, batch, ${dim}] and return "${OUTPUT}"; this one does not`,
    );
  }
  const labels = readLabels(path, m[`${KEY}.labels`], task);
  const units = loaded.model.info.shapes.get(OUTPUT)?.at(-1);
  if (task === "classify" && typeof units === "number" && units !== labels.length) {
    throw new CliError(
      "BAD_MODEL",
      `${path}: ${labels.length} labels in ${KEY}.labels but "${OUTPUT}" has ${units} units`,
    );
  }
  const mode = m[`${KEY}.cmvn-mode`] ?? "global";
  if (!(CMVN_MODES as readonly string[]).includes(mode)) {
    throw new CliError("BAD_MODEL", `${path}: ${KEY}.cmvn-mode is "${mode}"; expected ${CMVN_MODES.join(" or ")}`);
  }
  return {
    model: loaded.model,
    weights: loaded.weights,
    task,
    zooId,
    cmvn,
    horizon: Number(m[`${KEY}.horizon`] ?? 0),
    labels,
    cmvnMode: mode as CmvnMode,
    metadata: m,
  };
}

function readLabels(path: string, text: string | undefined, task: TaskName): readonly string[] {
  if (text === undefined) return task === "classify" ? PHONE_CLASSES : [];
  let labels: unknown;
  try {
    labels = JSON.parse(text);
  } catch {
    labels = undefined;
  }
  if (!Array.isArray(labels) || labels.length === 0 || labels.some((l) => typeof l !== "string")) {
    throw new CliError(
      "BAD_MODEL",
      `${path}: ${KEY}.labels must be a JSON array of strings, found ${text.slice(0, 60)}`,
    );
  }
  return labels as string[];
}

/** A model's input from raw MFCC-39 frames `[T, 39]`: per-utterance or stored CMVN, as the model was trained. */
export function normalizeFrames(m: Pick<TrainedModel, "cmvn" | "cmvnMode">, frames: FloatTensor): FloatTensor {
  return m.cmvnMode === "utterance" ? cmvnUtterance(frames) : m.cmvn.apply(frames);
}
