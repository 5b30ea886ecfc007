/**
 * Training workers: on Node's `worker_threads`, reached through `process.getBuiltinModule` (Node ≥ 20.16) rather
 * than an import, so the package's browser bundle holds no `node:` module; in a browser, module Web Workers
 * (web-worker-pool.ts) when the page is cross-origin isolated. Where neither can run (or SharedArrayBuffer is
 * missing), {@link workersAvailable} is false and training stays on the calling thread.
 */
import type * as WorkerThreads from "node:worker_threads";
import { BackendError, type BackendErrorCode } from "@recurrent/core";
import type { FromWorker, InitMessage, ToWorker } from "./protocol.js";
import { browserCores, startWebWorker, webWorkersAvailable } from "./web-worker-pool.js";

interface NodeProcess {
  readonly getBuiltinModule?: (id: string) => unknown;
}

function builtin<T>(id: string): T | undefined {
  const proc = (globalThis as { process?: NodeProcess }).process;
  return proc?.getBuiltinModule?.(id) as T | undefined;
}

/**
 * Whether workers can run here: Node's `worker_threads` and SharedArrayBuffer, or Web Workers in a
 * cross-origin-isolated page.
 */
export function workersAvailable(): boolean {
  const node = typeof SharedArrayBuffer === "function" && builtin<typeof WorkerThreads>("worker_threads") !== undefined;
  return node || webWorkersAvailable();
}

/** Logical cores: `os.availableParallelism()` in Node, `navigator.hardwareConcurrency` in browsers; 1 if unknown. */
export function availableCores(): number {
  const os = builtin<{ availableParallelism?: () => number; cpus: () => unknown[] }>("os");
  if (os === undefined) return browserCores() ?? 1;
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

/**
 * What the pool needs of one worker, whatever runs it: {@link nodeWorker} adapts Node's `Worker`,
 * web-worker-pool.ts a browser's.
 */
export interface WorkerHandle {
  /** Calls `onReply` with each reply, `onFailure` when the worker fails or exits (its error names the worker). */
  listen(onReply: (reply: FromWorker) => void, onFailure: (error: Error) => void): void;
  post(message: ToWorker, transfer: ArrayBuffer[]): void;
  /** Whether the worker keeps the process alive: only while a request is in flight (Node; a no-op in browsers). */
  hold(busy: boolean): void;
  terminate(): Promise<unknown>;
}

/** Starts worker `index` (1-based, for messages). */
type Spawn = (index: number) => WorkerHandle;

/** Node's `Worker` as a {@link WorkerHandle}; unreferenced while idle, so an idle pool never keeps Node running. */
function nodeWorker(worker: WorkerThreads.Worker, index: number): WorkerHandle {
  worker.unref();
  return {
    listen(onReply, onFailure) {
      worker.on("message", onReply);
      worker.on("error", (err) => onFailure(new Error(`training worker ${index} failed: ${err.message}`)));
      worker.on("exit", (code) => onFailure(new Error(`training worker ${index} exited (code ${code})`)));
    },
    post: (message, transfer) => worker.postMessage(message, transfer),
    hold: (busy) => (busy ? worker.ref() : worker.unref()),
    terminate: () => worker.terminate(),
  };
}

/** Workers started and replies received, over every pool of this thread (tests and benches read it). */
const activity = { started: 0, replies: 0 };

/** How many training workers this thread has started and how many replies they sent, since it began. */
export function workerActivity(): { readonly started: number; readonly replies: number } {
  return { ...activity };
}

interface Pending {
  readonly resolve: (reply: FromWorker) => void;
  readonly reject: (error: Error) => void;
}

/** One worker and its replies, matched by request id. */
class Link {
  readonly #worker: WorkerHandle;
  readonly #pending = new Map<number, Pending>();
  #failure: Error | undefined;

  constructor(worker: WorkerHandle, index: number) {
    this.#worker = worker;
    worker.listen(
      (reply) => {
        const pending = this.#pending.get(reply.id);
        if (pending === undefined) return;
        activity.replies++;
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
      },
      (error) => {
        this.#failure = error;
        for (const pending of this.#pending.values()) pending.reject(error);
        this.#pending.clear();
      },
    );
  }

  post(message: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.#worker.post(message, transfer);
  }

  /** Sends `message` and waits for the reply of the same id; the worker keeps the process alive meanwhile. */
  request<R extends FromWorker>(message: ToWorker & { readonly id: number }): Promise<R> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    return new Promise<R>((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.hold(true);
      this.#pending.set(message.id, { resolve: resolve as (r: FromWorker) => void, reject });
      this.#worker.post(message, []);
    });
  }

  #settled(): void {
    if (this.#pending.size === 0) this.#worker.hold(false);
  }

  terminate(): Promise<unknown> {
    return this.#worker.terminate();
  }
}

/** Training workers, each given the same init message; started as the batches need them. */
export class WorkerPool {
  readonly #spawn: Spawn;
  readonly #init: InitMessage;
  readonly #links: Link[] = [];

  private constructor(spawn: Spawn, init: InitMessage) {
    this.#spawn = spawn;
    this.#init = init;
  }

  /**
   * A pool with no worker yet. Undefined when workers cannot run here (see {@link workersAvailable}) or their
   * entry cannot be found.
   */
  static create(init: InitMessage): WorkerPool | undefined {
    const threads = builtin<typeof WorkerThreads>("worker_threads");
    if (threads !== undefined) {
      const entry = workerEntry();
      if (entry === undefined) return undefined;
      return new WorkerPool((index) => nodeWorker(new threads.Worker(entry), index), init);
    }
    return webWorkersAvailable() ? new WorkerPool(startWebWorker, init) : undefined;
  }

  /** The first `count` workers, starting those not running yet. */
  take(count: number): readonly Link[] {
    while (this.#links.length < count) {
      const index = this.#links.length + 1;
      const link = new Link(this.#spawn(index), index);
      activity.started++;
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
