/** The values a run may fetch and a loss may read: every node output, rnn states included. */
import { BackendError } from "../backend/errors.js";
import { outputsOf } from "../ir/nodes.js";
import type { ValidModel } from "../ir/valid-model.js";

const valueSets = new WeakMap<ValidModel, ReadonlySet<string>>();

/** Every value name of `model` (node ids, `<rnn>/h`, `<rnn>/c`), cached per model. */
export function modelValues(model: ValidModel): ReadonlySet<string> {
  let values = valueSets.get(model);
  if (values === undefined) {
    values = new Set(model.nodes.flatMap((n) => outputsOf(n)));
    valueSets.set(model, values);
  }
  return values;
}

/**
 * Checks that every name in `fetch` is a value of the model.
 * @throws BackendError BAD_CONFIG naming the value and listing the model's values.
 */
export function checkFetch(model: ValidModel, fetch: readonly string[]): void {
  const values = modelValues(model);
  for (let i = 0; i < fetch.length; i++) {
    const name = fetch[i]!;
    if (typeof name !== "string" || !values.has(name)) {
      throw new BackendError(
        "BAD_CONFIG",
        `cannot fetch "${String(name)}": model "${model.name}" has no such value; values: ${[...values].join(", ")}`,
      );
    }
  }
}

/**
 * The value a loss reads: `output`, or the model's first output.
 * @throws BackendError BAD_CONFIG when the model has no such value.
 */
export function lossOutput(model: ValidModel, output: string | undefined): string {
  const name = output ?? model.outputs[0]!;
  if (!modelValues(model).has(name)) {
    throw new BackendError(
      "BAD_CONFIG",
      `loss output "${name}" is not a value of model "${model.name}"; graph outputs: ${model.outputs.join(", ")}`,
    );
  }
  return name;
}
