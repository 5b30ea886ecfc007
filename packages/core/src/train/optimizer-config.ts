/**
 * The backend-agnostic half of an optimizer: PyTorch's defaults for the optional hyper-parameters, a config with
 * them filled in, and the check of an `OptimizerState` before it is restored. Shared by every training backend so
 * they fill the same defaults and refuse the same states; the update arithmetic stays in each backend.
 */
import type { OptimizerState } from "../backend/backend.js";
import { BackendError } from "../backend/errors.js";
import { formatShape } from "../tensor/tensor.js";
import type { OptimizerConfig } from "./config.js";

/** PyTorch's (torch.optim 1.13) defaults for the optional hyper-parameters. */
export const OPTIMIZER_DEFAULTS = {
  sgd: { momentum: 0, nesterov: false, weightDecay: 0 },
  rmsprop: { rho: 0.99, eps: 1e-8, momentum: 0, weightDecay: 0 },
  adam: { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
} as const;

/** Hyper-parameters of SGD, defaults filled in. */
export interface SgdParams {
  readonly momentum: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
}

/** Hyper-parameters of RMSprop (PyTorch calls `rho` `alpha`), defaults filled in. */
export interface RmspropParams {
  readonly rho: number;
  readonly eps: number;
  readonly momentum: number;
  readonly weightDecay: number;
}

/** Hyper-parameters of Adam, defaults filled in. */
export interface AdamParams {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
}

/** An optimizer config with every optional hyper-parameter filled in. */
export type ResolvedOptimizer =
  | ({ readonly kind: "sgd"; readonly lr: number } & SgdParams)
  | ({ readonly kind: "rmsprop"; readonly lr: number } & RmspropParams)
  | ({ readonly kind: "adam"; readonly lr: number } & AdamParams);

/**
 * `config` with {@link OPTIMIZER_DEFAULTS} filled in where a hyper-parameter is absent. The config is assumed
 * validated (see `resolveTrainConfig`); throws nothing.
 */
export function resolveOptimizer(config: OptimizerConfig): ResolvedOptimizer {
  const lr = config.lr;
  const weightDecay = config.weightDecay ?? 0;
  switch (config.kind) {
    case "sgd": {
      const d = OPTIMIZER_DEFAULTS.sgd;
      return {
        kind: "sgd",
        lr,
        momentum: config.momentum ?? d.momentum,
        nesterov: config.nesterov ?? d.nesterov,
        weightDecay,
      };
    }
    case "rmsprop": {
      const d = OPTIMIZER_DEFAULTS.rmsprop;
      return {
        kind: "rmsprop",
        lr,
        rho: config.rho ?? d.rho,
        eps: config.eps ?? d.eps,
        momentum: config.momentum ?? d.momentum,
        weightDecay,
      };
    }
    case "adam": {
      const d = OPTIMIZER_DEFAULTS.adam;
      return {
        kind: "adam",
        lr,
        beta1: config.beta1 ?? d.beta1,
        beta2: config.beta2 ?? d.beta2,
        eps: config.eps ?? d.eps,
        weightDecay,
      };
    }
    default:
      return config satisfies never;
  }
}

/**
 * Checks that `state` fits an optimizer of `kind` keeping the slot prefixes `slotPrefixes` (in the order its rule
 * keeps them) for weights of `shapes` (keyed `nodeId/param`): slot `<prefix>/<weight key>` for every pair, each
 * shaped like its weight and holding that many values, no other slot, `step` an integer >= 0.
 * @throws BackendError BAD_CONFIG naming the slot when one is missing, unknown or misshaped, or `step` is bad.
 */
export function checkOptimizerState(
  kind: OptimizerConfig["kind"],
  slotPrefixes: readonly string[],
  shapes: ReadonlyMap<string, readonly number[]>,
  state: OptimizerState,
): void {
  if (!Number.isInteger(state.step) || state.step < 0) {
    throw new BackendError("BAD_CONFIG", `optimizer state: step must be an integer >= 0, got ${state.step}`);
  }
  const expected = new Set<string>();
  for (const [key, shape] of shapes) {
    for (const prefix of slotPrefixes) {
      const name = `${prefix}/${key}`;
      expected.add(name);
      const slot = state.slots[name];
      if (!slot) {
        throw new BackendError(
          "BAD_CONFIG",
          `optimizer state: slot "${name}" is missing (${kind} keeps ${slotPrefixes.join(", ") || "no slots"} ` +
            "per weight); hint: restore a state saved by a trainer with the same optimizer config",
        );
      }
      if (formatShape(slot.shape) !== formatShape(shape) || slot.data.length !== shape.reduce((a, d) => a * d, 1)) {
        throw new BackendError(
          "BAD_CONFIG",
          `optimizer state: slot "${name}" is ${formatShape(slot.shape)}, expected ${formatShape(shape)} like its weight`,
        );
      }
    }
  }
  const unknown = Object.keys(state.slots).filter((name) => !expected.has(name));
  if (unknown.length > 0) {
    throw new BackendError(
      "BAD_CONFIG",
      `optimizer state: unknown slot(s) ${unknown.map((n) => `"${n}"`).join(", ")} for a ${kind} ` +
        "optimizer over this model; hint: the state comes from another optimizer config or model",
    );
  }
}
