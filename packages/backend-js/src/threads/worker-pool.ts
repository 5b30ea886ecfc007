/**
 * Training workers on Node's `worker_threads`, reached through `process.getBuiltinModule` (Node ≥ 20.16) rather
 * than an import, so the package's browser bundle holds no `node:` module; where that or SharedArrayBuffer is
 * missing (a browser page), {@link workersAvailable} is false and training stays on the calling thread.
 */
import type * as WorkerThreads from "node:worker_threads";
import { BackendError, type BackendErrorCode } from "@recurrent/core";
import type { FromWorker, InitMessage, ToWorker } from "./protocol.js";

interface NodeProcess {
  readonly getBuiltinModule?: (id: string) => unknown;
}

function builtin<T>(id: string): T | undefined {
  const proc = (globalThis as { process?: NodeProcess }).process;
  return proc?.getBuiltinModule?.(id) as T | undefined;
}

/** Whether workers can run here: Node's `worker_threads` and SharedArrayBuffer. */
export function workersAvailable(): boolean {
  return typeof SharedArrayBuffer === "function" && builtin<typeof WorkerThreads>("worker_threads") !== undefined;
}

/** Logical cores (`os.availableParallelism()`), 1 where unknown. */
export function availableCores(): number {
  const os = builtin<{ availableParallelism?: () => number; cpus: () => unknown[] }>("os");
  if (os === undefined) return 1;
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

/**
 * The worker's entry. Built code runs `worker.js`; the TypeScript sources (tests, `--conditions=@recurrent/source`)
 * start a module that registers tsx's loader first, since a worker gets no loader from its parent. Undefined
 * when the sources run without tsx installed.
 */
function workerEntry(): URL | undefined {
  const own = import.meta.url;
  if (!own.endsWith(".ts")) return new URL("./worker.js", own);
  try {
    const mod = builtin<{ createRequire: (from: string) => { resolve: (id: string) => string } }>("module");
    const url = builtin<{ pathToFileURL: (path: string) => URL }>("url");
    if (mod === undefined || url === undefined) return undefined;
    const api = mod
      .createRequire(own)
      .resolve("tsx/esm/api")
      .replace(/\.cjs$/, ".mjs");
    const code =
      `import { register } from ${JSON.stringify(url.pathToFileURL(api).href)}; register();` +
      `await import(${JSON.stringify(new URL("./worker.ts", own).href)});`;
    return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
  } catch {
    return undefined;
  }
}

interface Pending {
  readonly resolve: (reply: FromWorker) => void;
  readonly reject: (error: Error) => void;
}

/** One worker and its replies, matched by request id. */
class Link {
  readonly #worker: WorkerThreads.Worker;
  readonly #pending = new Map<number, Pending>();
  #failure: Error | undefined;

  constructor(worker: WorkerThreads.Worker, index: number) {
    this.#worker = worker;
    worker.unref();
    worker.on("message", (reply: FromWorker) => {
      const pending = this.#pending.get(reply.id);
      if (pending === undefined) return;
      this.#pending.delete(reply.id);
      this.#settled();
      if (reply.kind === "error") {
        pending.reject(
          reply.code === undefined
            ? new Error(`training worker ${index}: ${reply.message}`)
            : new BackendError(reply.code as BackendErrorCode, reply.message),
        );
      } else {
        pending.resolve(reply);
      }
    });
    const fail = (error: Error) => {
      this.#failure = error;
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    };
    worker.on("error", (err) => fail(new Error(`training worker ${index} failed: ${err.message}`)));
    worker.on("exit", (code) => fail(new Error(`training worker ${index} exited (code ${code})`)));
  }

  post(message: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.#worker.postMessage(message, transfer);
  }

  /** Sends `message` and waits for the reply of the same id; the worker keeps the process alive meanwhile. */
  request<R extends FromWorker>(message: ToWorker & { readonly id: number }): Promise<R> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    return new Promise<R>((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(message.id, { resolve: resolve as (r: FromWorker) => void, reject });
      this.#worker.postMessage(message);
    });
  }

  #settled(): void {
    if (this.#pending.size === 0) this.#worker.unref();
  }

  terminate(): Promise<number> {
    return this.#worker.terminate();
  }
}

/** Training workers, each given the same init message; started as the batches need them. */
export class WorkerPool {
  readonly #threads: typeof WorkerThreads;
  readonly #entry: URL;
  readonly #init: InitMessage;
  readonly #links: Link[] = [];

  private constructor(threads: typeof WorkerThreads, entry: URL, init: InitMessage) {
    this.#threads = threads;
    this.#entry = entry;
    this.#init = init;
  }

  /**
   * A pool with no worker yet. Undefined when workers cannot run here (see {@link workersAvailable}) or their
   * entry cannot be found.
   */
  static create(init: InitMessage): WorkerPool | undefined {
    const threads = builtin<typeof WorkerThreads>("worker_threads");
    const entry = workerEntry();
    if (threads === undefined || entry === undefined) return undefined;
    return new WorkerPool(threads, entry, init);
  }

  /** The first `count` workers, starting those not running yet. */
  take(count: number): readonly Link[] {
    while (this.#links.length < count) {
      const link = new Link(new this.#threads.Worker(this.#entry), this.#links.length + 1);
      link.post(this.#init);
      this.#links.push(link);
    }
    return this.#links.slice(0, count);
  }

  /** Workers started so far. */
  get size(): number {
    return this.#links.length;
  }

  async terminate(): Promise<void> {
    await Promise.all(this.#links.map((link) => link.terminate()));
    this.#links.length = 0;
  }
}
