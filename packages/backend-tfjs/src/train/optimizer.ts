/**
 * An optimizer over the trainer's weight variables: owns one slot variable per (rule slot, weight), the step
 * count and the learning rate, and reads/writes its state as an `OptimizerState` with backend-js's slot names
 * (`adam.m/<weight key>`, …), so checkpoints move between backends.
 */
import {
  BackendError,
  checkOptimizerState,
  type OptimizerConfig,
  type OptimizerState,
  resolveOptimizer,
  type Tensor,
} from "@recurrent/core";
import { readSync } from "../runtime.js";
import type { Tf, TfTensor, TfVariable } from "../tf.js";
import { adamRule } from "./adam.js";
import { rmspropRule } from "./rmsprop.js";
import { sgdRule } from "./sgd.js";
import type { UpdateRule } from "./update-rule.js";

/** The update rule for a (validated) config, defaults filled in. */
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

/** An optimizer bound to the trainer's weight variables (see the file header). */
export class Optimizer {
  /** Learning rate of the next update. */
  lr: number;
  readonly #tf: Tf;
  readonly #config: OptimizerConfig;
  readonly #rule: UpdateRule;
  readonly #shapes: ReadonlyMap<string, readonly number[]>;
  readonly #slots = new Map<string, { readonly shape: readonly number[]; readonly vars: TfVariable[] }>();
  #step = 0;

  /** Slots start at zero, step 0. @param shapes the shape of every weight, by key. */
  constructor(tf: Tf, config: OptimizerConfig, shapes: ReadonlyMap<string, readonly number[]>) {
    this.#tf = tf;
    this.#config = config;
    this.#rule = ruleOf(config);
    this.lr = config.lr;
    this.#shapes = new Map(shapes);
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
    checkOptimizerState(this.#config.kind, this.#rule.slots, this.#shapes, state);
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
