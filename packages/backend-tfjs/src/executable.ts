/**
 * The inference engine behind core's Executable shell (which checks fetch, feeds, batch 0 and dispose first):
 * weights uploaded once, each `run` one `tf.tidy` over the kernels, fetched values read back and every
 * intermediate tensor released. Within a run, recurrent layers walk long sequences in chunks of `CHUNK_STEPS`
 * and each value is disposed once nothing reads it, so memory grows with T by a few layers' outputs only.
 */
import type { FeedSizes, Feeds, Outputs, Tensor, ValidModel } from "@recurrent/core";
import type { InferenceEngine } from "@recurrent/core/engine";
import { checkFeeds } from "./engine/feeds.js";
import { forward, uploadFeeds } from "./engine/forward.js";
import { zeroPadded } from "./engine/lengths.js";
import { CHUNK_STEPS } from "./kernels/rnn/chunks.js";
import { type Runtime, read } from "./runtime.js";
import type { TfTensor } from "./tf.js";

export class TfjsInference implements InferenceEngine {
  readonly #rt: Runtime;
  readonly #model: ValidModel;
  readonly #weights: Map<string, TfTensor>;
  /** Tensors derived from the (frozen) weights, made on the first run. */
  readonly #derived = new Map<string, TfTensor>();

  constructor(rt: Runtime, model: ValidModel, weights: ReadonlyMap<string, Tensor>) {
    this.#rt = rt;
    this.#model = model;
    this.#weights = new Map([...weights].map(([k, w]) => [k, rt.upload(w)]));
  }

  async run(feeds: Feeds, fetch: readonly string[], sizes: FeedSizes): Promise<Outputs> {
    // Core's shell answers a batch of 0 itself (derived time axes included), so B ≥ 1 here.
    const checked = checkFeeds(this.#model, feeds, sizes);
    await this.#rt.activate();
    const { tf } = this.#rt;
    const outs = tf.tidy(() => {
      const tensors = uploadFeeds(tf, checked);
      const values = forward(tf, this.#model, this.#weights, tensors, {
        derived: this.#derived,
        chunk: { steps: CHUNK_STEPS, keep: new Set(fetch) },
      });
      return fetch.map((name) => {
        const lengthsName = this.#model.info.lengthsOf.get(name);
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

  dispose(): void {
    for (const w of this.#weights.values()) w.dispose();
    for (const t of this.#derived.values()) t.dispose();
  }
}
