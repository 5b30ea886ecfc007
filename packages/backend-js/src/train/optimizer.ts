/**
 * An optimizer over a fixed set of weights: owns the slot buffers and the step count, applies one update rule
 * to every weight, and reads/writes its state as an `OptimizerState` (slots `<prefix>/<weight key>`).
 */
import { BackendError, formatShape, type OptimizerConfig, type OptimizerState, type Tensor } from "@recurrent/core";
import { adamRule } from "./adam.js";
import { rmspropRule } from "./rmsprop.js";
import { sgdRule } from "./sgd.js";
import type { UpdateRule } from "./update-rule.js";

/** PyTorch's defaults for the optional hyper-parameters. */
export const OPTIMIZER_DEFAULTS = {
  sgd: { momentum: 0, nesterov: false, weightDecay: 0 },
  rmsprop: { rho: 0.99, eps: 1e-8, momentum: 0, weightDecay: 0 },
  adam: { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
} as const;

/** An optimizer bound to one set of weights. */
export interface Optimizer {
  /** Learning rate of the next update. */
  lr: number;
  /** Updates applied so far. */
  readonly step: number;
  /**
   * One update: every weight in `params` moves in place according to its gradient in `grads` (same keys and
   * lengths; gradients are not modified).
   * @throws BackendError (WEIGHTS) when a weight or gradient is missing or has the wrong length.
   */
  update(params: ReadonlyMap<string, Float32Array>, grads: ReadonlyMap<string, Float32Array>): void;
  /** A copy of the step count and every slot, shaped like its weight. */
  state(): OptimizerState;
  /**
   * Replaces the step count and the slots with copies of `state`'s.
   * @throws BackendError (BAD_CONFIG) naming the slot when one is missing, unknown or misshaped, or `step` is bad.
   */
  restore(state: OptimizerState): void;
}

/** The update rule for a config (defaults filled in); the config is assumed validated. */
export function ruleOf(config: OptimizerConfig): UpdateRule {
  const weightDecay = config.weightDecay ?? 0;
  switch (config.kind) {
    case "sgd": {
      const d = OPTIMIZER_DEFAULTS.sgd;
      return sgdRule({ momentum: config.momentum ?? d.momentum, nesterov: config.nesterov ?? d.nesterov, weightDecay });
    }
    case "rmsprop": {
      const d = OPTIMIZER_DEFAULTS.rmsprop;
      return rmspropRule({
        rho: config.rho ?? d.rho,
        eps: config.eps ?? d.eps,
        momentum: config.momentum ?? d.momentum,
        weightDecay,
      });
    }
    case "adam": {
      const d = OPTIMIZER_DEFAULTS.adam;
      return adamRule({
        beta1: config.beta1 ?? d.beta1,
        beta2: config.beta2 ?? d.beta2,
        eps: config.eps ?? d.eps,
        weightDecay,
      });
    }
    default:
      return config satisfies never;
  }
}

/**
 * An optimizer for weights of the given shapes (keyed `nodeId/param`), slots zero, step 0.
 * @param config a validated optimizer config (see `validateTrainConfig`).
 */
export function createOptimizer(config: OptimizerConfig, shapes: ReadonlyMap<string, readonly number[]>): Optimizer {
  const rule = ruleOf(config);
  const slots = new Map<string, { readonly shape: readonly number[]; readonly buffers: Float32Array[] }>();
  for (const [key, shape] of shapes) {
    const size = shape.reduce((a, b) => a * b, 1);
    slots.set(key, { shape, buffers: rule.slots.map(() => new Float32Array(size)) });
  }
  let step = 0;
  return {
    lr: config.lr,
    get step() {
      return step;
    },
    update(params, grads) {
      for (const [key, { buffers }] of slots) {
        const p = params.get(key);
        const g = grads.get(key);
        if (!p || !g || p.length !== g.length || p.length !== (buffers[0]?.length ?? p.length)) {
          throw new BackendError(
            "WEIGHTS",
            `optimizer: weight "${key}" or its gradient is missing or has the wrong size ` +
              `(weight ${p?.length ?? "absent"}, gradient ${g?.length ?? "absent"}); hint: this is a trainer bug`,
          );
        }
      }
      step += 1;
      for (const [key, { buffers }] of slots) rule.apply(params.get(key)!, grads.get(key)!, buffers, this.lr, step);
    },
    state() {
      const out: Record<string, Tensor> = {};
      for (const [key, { shape, buffers }] of slots) {
        rule.slots.forEach((prefix, i) => {
          out[`${prefix}/${key}`] = { shape: [...shape], data: Float32Array.from(buffers[i]!) };
        });
      }
      return { step, slots: out };
    },
    restore(state) {
      if (!Number.isInteger(state.step) || state.step < 0) {
        throw new BackendError("BAD_CONFIG", `optimizer state: step must be an integer >= 0, got ${state.step}`);
      }
      const expected = new Set<string>();
      for (const [key, { shape }] of slots) {
        for (const prefix of rule.slots) {
          const name = `${prefix}/${key}`;
          expected.add(name);
          const slot = state.slots[name];
          if (!slot) {
            throw new BackendError(
              "BAD_CONFIG",
              `optimizer state: slot "${name}" is missing (${config.kind} keeps ${rule.slots.join(", ") || "no slots"} ` +
                `per weight); hint: restore a state saved by a trainer with the same optimizer config`,
            );
          }
          if (formatShape(slot.shape) !== formatShape(shape)) {
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
          `optimizer state: unknown slot(s) ${unknown.map((n) => `"${n}"`).join(", ")} for a ${config.kind} ` +
            `optimizer over this model; hint: the state comes from another optimizer config or model`,
        );
      }
      for (const [key, { buffers }] of slots) {
        rule.slots.forEach((prefix, i) => {
          buffers[i]!.set(state.slots[`${prefix}/${key}`]!.data);
        });
      }
      step = state.step;
    },
  };
}
