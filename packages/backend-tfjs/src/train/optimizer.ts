/**
 * An optimizer over the trainer's weight variables: owns one slot variable per (rule slot, weight), the step
 * count and the learning rate, and reads/writes its state as an `OptimizerState` with backend-js's slot names
 * (`adam.m/<weight key>`, …), so checkpoints move between backends.
 */
import { BackendError, formatShape, type OptimizerConfig, type OptimizerState, type Tensor } from "@recurrent/core";
import { readSync } from "../runtime.js";
import type { Tf, TfTensor, TfVariable } from "../tf.js";
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

/** The update rule for a (validated) config, defaults filled in. */
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

export class Optimizer {
  /** Learning rate of the next update. */
  lr: number;
  readonly #tf: Tf;
  readonly #config: OptimizerConfig;
  readonly #rule: UpdateRule;
  readonly #slots = new Map<string, { readonly shape: readonly number[]; readonly vars: TfVariable[] }>();
  #step = 0;

  /** Slots start at zero, step 0. @param shapes the shape of every weight, by key. */
  constructor(tf: Tf, config: OptimizerConfig, shapes: ReadonlyMap<string, readonly number[]>) {
    this.#tf = tf;
    this.#config = config;
    this.#rule = ruleOf(config);
    this.lr = config.lr;
    for (const [key, shape] of shapes) {
      this.#slots.set(key, {
        shape,
        vars: this.#rule.slots.map(() => tf.tidy(() => tf.variable(tf.zeros([...shape]), false))),
      });
    }
  }

  /** Updates applied so far. */
  get step(): number {
    return this.#step;
  }

  /**
   * One update, inside the caller's `tf.tidy`: every weight variable moves according to its gradient.
   * @throws BackendError WEIGHTS when a gradient is missing (a trainer bug).
   */
  update(params: ReadonlyMap<string, TfVariable>, grads: ReadonlyMap<string, TfTensor>): void {
    const step = this.#step + 1;
    const next = [...this.#slots].map(([key, { vars }]) => {
      const p = params.get(key);
      const g = grads.get(key);
      if (p === undefined || g === undefined) {
        throw new BackendError("WEIGHTS", `optimizer: weight "${key}" or its gradient is missing; hint: a trainer bug`);
      }
      return { p, vars, result: this.#rule.apply(this.#tf, p, g, vars, this.lr, step) };
    });
    // Assign only once every new value exists, so a failure leaves the weights as they were.
    for (const { p, vars, result } of next) {
      p.assign(result.param);
      vars.forEach((v, i) => {
        v.assign(result.slots[i]!);
      });
    }
    this.#step = step;
  }

  /** A host copy of the step count and every slot. */
  state(): OptimizerState {
    const slots: Record<string, Tensor> = {};
    for (const [key, { shape, vars }] of this.#slots) {
      this.#rule.slots.forEach((prefix, i) => {
        slots[`${prefix}/${key}`] = { shape: [...shape], data: readSync(vars[i]!) };
      });
    }
    return { step: this.#step, slots };
  }

  /**
   * Replaces the step count and the slots with `state`'s.
   * @throws BackendError BAD_CONFIG naming the slot when one is missing, unknown or misshaped, or `step` is bad.
   */
  restore(state: OptimizerState): void {
    const kind = this.#config.kind;
    if (!Number.isInteger(state.step) || state.step < 0) {
      throw new BackendError("BAD_CONFIG", `optimizer state: step must be an integer >= 0, got ${state.step}`);
    }
    const expected = new Set<string>();
    for (const [key, { shape }] of this.#slots) {
      for (const prefix of this.#rule.slots) {
        const name = `${prefix}/${key}`;
        expected.add(name);
        const slot = state.slots[name];
        if (!slot) {
          throw new BackendError(
            "BAD_CONFIG",
            `optimizer state: slot "${name}" is missing (${kind} keeps ${this.#rule.slots.join(", ") || "no slots"} ` +
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
    const tf = this.#tf;
    for (const [key, { shape, vars }] of this.#slots) {
      this.#rule.slots.forEach((prefix, i) => {
        tf.tidy(() => vars[i]!.assign(tf.tensor(state.slots[`${prefix}/${key}`]!.data, [...shape], "float32")));
      });
    }
    this.#step = state.step;
  }

  /** Releases the slot variables. */
  dispose(): void {
    for (const { vars } of this.#slots.values()) for (const v of vars) v.dispose();
  }
}
