/**
 * A compiled model on TensorFlow.js: weights uploaded once, each `run` one `tf.tidy` over the kernels, fetched
 * values read back and every intermediate tensor released.
 */
import {
  BackendError,
  type Executable,
  type Feeds,
  type Outputs,
  outputsOf,
  type RunOptions,
  type Tensor,
  type ValidModel,
} from "@recurrent/core";
import { checkFeeds } from "./engine/feeds.js";
import { forward, uploadFeeds } from "./engine/forward.js";
import { zeroPadded } from "./engine/lengths.js";
import { type Runtime, read } from "./runtime.js";
import type { TfTensor } from "./tf.js";

/** Checks that every name in `fetch` is a value of the model. @throws BackendError BAD_CONFIG naming it. */
export function checkFetch(model: ValidModel, fetch: readonly string[]): void {
  const values = model.nodes.flatMap((n) => outputsOf(n));
  for (const name of fetch) {
    if (!values.includes(name)) {
      throw new BackendError(
        "BAD_CONFIG",
        `cannot fetch "${name}": model "${model.name}" has no such value; values: ${values.join(", ")}`,
      );
    }
  }
}

export class TfjsExecutable implements Executable {
  readonly model: ValidModel;
  readonly #rt: Runtime;
  readonly #weights: Map<string, TfTensor>;
  /** Tensors derived from the (frozen) weights, made on the first run. */
  readonly #derived = new Map<string, TfTensor>();
  #disposed = false;

  constructor(rt: Runtime, model: ValidModel, weights: ReadonlyMap<string, Tensor>) {
    this.#rt = rt;
    this.model = model;
    this.#weights = new Map([...weights].map(([k, w]) => [k, rt.upload(w)]));
  }

  async run(feeds: Feeds, options: RunOptions = {}): Promise<Outputs> {
    if (this.#disposed) throw new BackendError("DISPOSED", `executable of model "${this.model.name}" was disposed`);
    const fetch = options.fetch ?? this.model.outputs;
    checkFetch(this.model, fetch);
    const checked = checkFeeds(this.model, feeds);
    await this.#rt.activate();
    const { tf } = this.#rt;
    const outs = tf.tidy(() => {
      const tensors = uploadFeeds(tf, checked);
      const values = forward(tf, this.model, this.#weights, tensors, { derived: this.#derived });
      return fetch.map((name) => {
        const lengthsName = this.model.info.lengthsOf.get(name);
        // Padded steps are unspecified by contract; zeros there make outputs equal across backends.
        const lengths = lengthsName === undefined ? undefined : tensors.lengths.get(lengthsName);
        return zeroPadded(tf, values.get(name)!, lengths);
      });
    });
    try {
      const data = await Promise.all(outs.map((t) => read(t)));
      const result: Record<string, Tensor> = {};
      fetch.forEach((name, i) => {
        result[name] = { shape: [...outs[i]!.shape], data: data[i]! };
      });
      return result;
    } finally {
      for (const t of outs) t.dispose();
    }
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const w of this.#weights.values()) w.dispose();
    for (const t of this.#derived.values()) t.dispose();
  }
}
