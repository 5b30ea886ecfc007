/** A started TensorFlow.js runtime: the namespace and the tfjs backend our tensors live on. */
import { startTf, type TfjsBackendOptions } from "./setup.js";
import type { Tf, TfTensor } from "./tf.js";

/** What compiled executables and trainers hold on to. */
export class Runtime {
  readonly tf: Tf;
  /** The tfjs backend name (`"cpu"`, `"wasm"`, `"webgl"`, …). */
  readonly backend: string;
  readonly #pinned: boolean;

  constructor(tf: Tf, backend: string, pinned: boolean) {
    this.tf = tf;
    this.backend = backend;
    this.#pinned = pinned;
  }

  /**
   * Makes our tfjs backend the active one again if someone switched it (tfjs has one global active backend).
   * @throws BackendError NO_BACKEND when it can no longer start.
   */
  async activate(): Promise<void> {
    if (this.#pinned && this.tf.getBackend() !== this.backend) await this.tf.setBackend(this.backend);
  }

  /** Uploads a host tensor. */
  upload(t: { readonly shape: readonly number[]; readonly data: Float32Array }): TfTensor {
    return this.tf.tensor(t.data, [...t.shape], "float32");
  }

  /** Starts tfjs as `options` ask. @throws BackendError NO_BACKEND (see `startTf`). */
  static async start(options: TfjsBackendOptions): Promise<Runtime> {
    const { tf, backend } = await startTf(options);
    return new Runtime(tf, backend, options.backend !== undefined);
  }
}

/** A float32 copy of a tensor's values (tfjs may hand out its own storage, which must not escape). */
export function readSync(t: TfTensor): Float32Array {
  return Float32Array.from(t.dataSync() as Float32Array);
}

/** {@link readSync}, without blocking a GPU backend. */
export async function read(t: TfTensor): Promise<Float32Array> {
  return Float32Array.from((await t.data()) as Float32Array);
}

/** Runs `fn` in a `tf.tidy` scope and returns its host-side result (every tensor it made is released). */
export function tidyHost<T>(tf: Tf, fn: () => T): T {
  let out: { value: T } | undefined;
  tf.tidy(() => {
    out = { value: fn() };
  });
  return out!.value;
}
