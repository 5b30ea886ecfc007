/**
 * Up-front checks of a `TrainConfig` against a model, so that a typo or a bad value fails when the trainer is
 * made, naming the field, rather than as a NaN a thousand steps later. Shared by every training backend, so all
 * of them accept and refuse the same configs with the same messages.
 */
import { BackendError } from "../backend/errors.js";
import { closest } from "../ir/options.js";
import type { ValidModel } from "../ir/valid-model.js";
import type { LossConfig, LossKind, OptimizerConfig, TrainConfig } from "./config.js";
import { checkTruncatable } from "./tbptt.js";

/** A validated config with defaults filled in (optimizer hyper-parameters: see `resolveOptimizer`). */
export interface ResolvedTrainConfig {
  readonly loss: LossConfig;
  readonly optimizer: OptimizerConfig;
  readonly clipNorm: number | undefined;
  readonly clipValue: number | undefined;
  /** The graph output the loss reads. */
  readonly output: string;
  readonly truncateSteps: number | undefined;
  /** Dropout seed; 0 when unset. */
  readonly seed: number;
  /** Keys `node/param` of the weights training leaves unchanged (from `freeze`; empty when unset). */
  readonly frozen: ReadonlySet<string>;
}

const CONFIG_KEYS = [
  "loss",
  "optimizer",
  "clipNorm",
  "clipValue",
  "output",
  "truncateSteps",
  "seed",
  "freeze",
] as const;
const LOSS_KINDS: readonly LossKind[] = ["mse", "softmaxCrossEntropy", "binaryCrossEntropy"];
const OPTIMIZER_KEYS: Readonly<Record<OptimizerConfig["kind"], readonly string[]>> = {
  sgd: ["kind", "lr", "momentum", "nesterov", "weightDecay"],
  rmsprop: ["kind", "lr", "rho", "eps", "momentum", "weightDecay"],
  adam: ["kind", "lr", "beta1", "beta2", "eps", "weightDecay"],
};

function bad(field: string, expected: string, found: unknown, hint?: string): BackendError {
  const shown =
    typeof found === "string" ? `"${found}"` : typeof found === "object" ? JSON.stringify(found) : String(found);
  return new BackendError(
    "BAD_CONFIG",
    `train config: ${field} must be ${expected}, got ${shown}${hint ? `; hint: ${hint}` : ""}`,
  );
}

function checkKeys(field: string, value: object, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new BackendError(
        "BAD_CONFIG",
        `train config: unknown key ${field ? `${field}.` : ""}${key}; known keys: ${allowed.join(", ")}`,
      );
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A finite number in [min, max) (or [min, max] with `maxInclusive`), or undefined when absent. */
function num(
  obj: Record<string, unknown>,
  key: string,
  field: string,
  range: { readonly min: number; readonly minExclusive?: boolean; readonly max?: number; readonly text: string },
): number | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  const ok =
    typeof v === "number" &&
    Number.isFinite(v) &&
    (range.minExclusive ? v > range.min : v >= range.min) &&
    (range.max === undefined || v < range.max);
  if (!ok) throw bad(field, range.text, v);
  return v;
}

function checkOptimizer(value: unknown): OptimizerConfig {
  if (!isObject(value)) throw bad("optimizer", 'an object such as { kind: "adam", lr: 1e-3 }', value);
  const kind = value.kind;
  if (typeof kind !== "string" || !Object.hasOwn(OPTIMIZER_KEYS, kind)) {
    throw bad(
      "optimizer.kind",
      `one of ${Object.keys(OPTIMIZER_KEYS)
        .map((k) => `"${k}"`)
        .join(", ")}`,
      kind,
    );
  }
  checkKeys("optimizer", value, OPTIMIZER_KEYS[kind as OptimizerConfig["kind"]]);
  if (value.lr === undefined)
    throw bad("optimizer.lr", "a finite number > 0", undefined, "the learning rate has no default");
  num(value, "lr", "optimizer.lr", { min: 0, minExclusive: true, text: "a finite number > 0" });
  num(value, "weightDecay", "optimizer.weightDecay", { min: 0, text: "a finite number >= 0" });
  num(value, "eps", "optimizer.eps", { min: 0, text: "a finite number >= 0" });
  const momentum = num(value, "momentum", "optimizer.momentum", { min: 0, text: "a finite number >= 0" });
  num(value, "rho", "optimizer.rho", { min: 0, text: "a finite number >= 0" });
  num(value, "beta1", "optimizer.beta1", { min: 0, max: 1, text: "a number in [0, 1)" });
  num(value, "beta2", "optimizer.beta2", { min: 0, max: 1, text: "a number in [0, 1)" });
  if (value.nesterov !== undefined) {
    if (typeof value.nesterov !== "boolean") throw bad("optimizer.nesterov", "a boolean", value.nesterov);
    if (value.nesterov && !(momentum !== undefined && momentum > 0)) {
      throw bad("optimizer.momentum", "> 0 when nesterov is true (as in torch.optim.SGD)", momentum);
    }
  }
  return value as unknown as OptimizerConfig;
}

function checkLoss(value: unknown, model: ValidModel, output: string): LossConfig {
  const loss = typeof value === "string" ? { kind: value } : value;
  if (!isObject(loss))
    throw bad("loss", `one of ${LOSS_KINDS.map((k) => `"${k}"`).join(", ")} or { kind, ... }`, value);
  checkKeys("loss", loss, ["kind", "classWeights", "fromLogits"]);
  if (!LOSS_KINDS.includes(loss.kind as LossKind)) {
    throw bad("loss.kind", `one of ${LOSS_KINDS.map((k) => `"${k}"`).join(", ")}`, loss.kind);
  }
  if (loss.fromLogits !== undefined) {
    if (loss.kind !== "binaryCrossEntropy")
      throw bad("loss.fromLogits", `absent for a ${loss.kind} loss`, loss.fromLogits);
    if (typeof loss.fromLogits !== "boolean") throw bad("loss.fromLogits", "true or false", loss.fromLogits);
  }
  const weights = loss.classWeights;
  if (weights !== undefined) {
    if (loss.kind === "mse") throw bad("loss.classWeights", "absent for an mse loss", weights);
    const classes = loss.kind === "binaryCrossEntropy" ? 2 : model.info.shapes.get(output)?.at(-1);
    if (!Array.isArray(weights) || weights.some((w) => typeof w !== "number" || !Number.isFinite(w) || w < 0)) {
      throw bad("loss.classWeights", "an array of finite numbers >= 0", weights);
    }
    if (loss.kind === "binaryCrossEntropy" && weights.length !== 2) {
      throw bad(
        "loss.classWeights",
        "[w0, w1]: the weights of target-0 and target-1 frames",
        `${weights.length} weights`,
      );
    }
    if (typeof classes === "number" && weights.length !== classes) {
      throw bad(
        "loss.classWeights",
        `${classes} weights (one per class of output "${output}")`,
        `${weights.length} weights`,
      );
    }
  }
  return loss as unknown as LossConfig;
}

/**
 * Checks `config` against `model` and fills in defaults (output: the first graph output; seed: 0).
 * @throws BackendError BAD_CONFIG naming the field: an unknown key (top level, `optimizer.*`, `loss.*`), an unknown
 *   optimizer or loss kind, `lr` <= 0 or not finite, a hyper-parameter out of its PyTorch range, `clipNorm` or
 *   `clipValue` <= 0, an `output` that is not a graph output, `truncateSteps` not a positive integer, or a model
 *   truncated BPTT cannot apply to (see `checkTruncatable`).
 */
export function resolveTrainConfig(model: ValidModel, config: TrainConfig): ResolvedTrainConfig {
  if (!isObject(config)) throw bad("config", "an object { loss, optimizer, ... }", config);
  checkKeys("", config, CONFIG_KEYS);
  const output = config.output ?? model.outputs[0];
  if (output === undefined || !model.outputs.includes(output)) {
    throw bad("output", `one of the graph outputs (${model.outputs.map((o) => `"${o}"`).join(", ")})`, config.output);
  }
  if (config.loss === undefined) {
    throw bad("loss", `one of ${LOSS_KINDS.map((k) => `"${k}"`).join(", ")}`, undefined);
  }
  const loss = checkLoss(config.loss, model, output);
  const optimizer = checkOptimizer(config.optimizer);
  const cfg = config as unknown as Record<string, unknown>;
  const clipNorm = num(cfg, "clipNorm", "clipNorm", { min: 0, minExclusive: true, text: "a finite number > 0" });
  const clipValue = num(cfg, "clipValue", "clipValue", { min: 0, minExclusive: true, text: "a finite number > 0" });
  const seed = num(cfg, "seed", "seed", { min: Number.NEGATIVE_INFINITY, text: "a finite number" }) ?? 0;
  const truncateSteps = config.truncateSteps;
  if (truncateSteps !== undefined) {
    if (!Number.isInteger(truncateSteps) || truncateSteps < 1) {
      throw bad("truncateSteps", "an integer >= 1", truncateSteps);
    }
    checkTruncatable(model, output);
  }
  const frozen = resolveFreeze(model, config.freeze);
  return { loss, optimizer, clipNorm, clipValue, output, truncateSteps, seed, frozen };
}

/** The weight keys that `freeze` names (node ids expand to every parameter of the node). */
function resolveFreeze(model: ValidModel, freeze: unknown): ReadonlySet<string> {
  const frozen = new Set<string>();
  if (freeze === undefined) return frozen;
  if (!Array.isArray(freeze) || freeze.some((entry) => typeof entry !== "string")) {
    throw bad("freeze", 'a list of node ids or weight keys such as ["enc1", "lstm/weight_ih"]', freeze);
  }
  const keysOf = new Map<string, string[]>();
  for (const [nodeId, specs] of model.info.params) {
    keysOf.set(
      nodeId,
      specs.map((spec) => `${nodeId}/${spec.name}`),
    );
  }
  const allKeys = [...keysOf.values()].flat();
  for (const entry of freeze as string[]) {
    const keys = keysOf.get(entry) ?? (allKeys.includes(entry) ? [entry] : undefined);
    if (keys === undefined) {
      const candidates = [...keysOf.keys(), ...allKeys];
      const near = closest(entry, candidates);
      const nodeWithoutParams = model.nodes.some((node) => node.id === entry);
      throw bad(
        "freeze",
        "node ids with parameters or weight keys of the model",
        entry,
        nodeWithoutParams
          ? `node "${entry}" has no parameters to freeze`
          : `${near === undefined ? "" : `did you mean "${near}"? `}weights: ${allKeys.slice(0, 12).join(", ")}${allKeys.length > 12 ? ", …" : ""}`,
      );
    }
    for (const key of keys) frozen.add(key);
  }
  if (allKeys.length > 0 && frozen.size === allKeys.length) {
    throw bad("freeze", "a list that leaves at least one weight to train", `all ${allKeys.length} weights`);
  }
  return frozen;
}
