/**
 * An optimizer over a fixed set of weights: owns the slot buffers and the step count, applies one update rule
 * to every weight, and reads/writes its state as an `OptimizerState` (slots `<prefix>/<weight key>`).
 */
import {
  BackendError,
  checkOptimizerState,
  type OptimizerConfig,
  type OptimizerState,
  resolveOptimizer,
  type Tensor,
} from "@recurrent/core";
import { adamRule } from "./adam.js";
import { rmspropRule } from "./rmsprop.js";
import { sgdRule } from "./sgd.js";
import type { UpdateRule } from "./update-rule.js";

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
  const resolved = resolveOptimizer(config);
  switch (resolved.kind) {
    case "sgd":
      return sgdRule(resolved);
    case "rmsprop":
      return rmspropRule(resolved);
    case "adam":
      return adamRule(resolved);
    default:
      return resolved satisfies never;
  }
}

/**
 * An optimizer for weights of the given shapes (keyed `nodeId/param`), slots zero, step 0.
 * @param config a validated optimizer config (see `resolveTrainConfig`).
 */
export function createOptimizer(config: OptimizerConfig, shapes: ReadonlyMap<string, readonly number[]>): Optimizer {
  const rule = ruleOf(config);
  const weightShapes = new Map(shapes);
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
      checkOptimizerState(config.kind, rule.slots, weightShapes, state);
      for (const [key, { buffers }] of slots) {
        rule.slots.forEach((prefix, i) => {
          buffers[i]!.set(state.slots[`${prefix}/${key}`]!.data);
        });
      }
      step = state.step;
    },
  };
}
