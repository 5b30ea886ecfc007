/**
 * Training workers in a browser: module Web Workers running web-worker.ts. They need SharedArrayBuffer, which a
 * page has only when it is cross-origin isolated (served with `Cross-Origin-Opener-Policy: same-origin` and
 * `Cross-Origin-Embedder-Policy: require-corp`); elsewhere {@link webWorkersAvailable} is false and training
 * stays on the calling thread.
 */
import type { FromWorker, ToWorker } from "./protocol.js";
import type { WorkerHandle } from "./worker-pool.js";

interface BrowserGlobals {
  readonly crossOriginIsolated?: boolean;
  readonly navigator?: { readonly hardwareConcurrency?: number };
}

/** Whether this realm can start Web Workers that share memory: `Worker`, SharedArrayBuffer, cross-origin isolation. */
export function webWorkersAvailable(): boolean {
  return (
    typeof Worker === "function" &&
    typeof SharedArrayBuffer === "function" &&
    (globalThis as BrowserGlobals).crossOriginIsolated === true
  );
}

/** `navigator.hardwareConcurrency`, or undefined where there is none. */
export function browserCores(): number | undefined {
  const cores = (globalThis as BrowserGlobals).navigator?.hardwareConcurrency;
  return typeof cores === "number" && cores >= 1 ? Math.floor(cores) : undefined;
}

/**
 * Starts training worker `index` (1-based, for messages) as a module Web Worker.
 * The `new Worker(new URL("./web-worker.js", import.meta.url), { type: "module" })` expression is written out
 * whole on purpose: Vite and webpack recognise exactly this shape and emit the worker (and what it imports) as
 * its own chunk; the published `dist/` has `web-worker.js` next to this module for plain ESM servers.
 */
export function startWebWorker(index: number): WorkerHandle {
  const worker = new Worker(new URL("./web-worker.js", import.meta.url), { type: "module" });
  return {
    listen(onReply: (reply: FromWorker) => void, onFailure: (error: Error) => void): void {
      worker.addEventListener("message", (event: MessageEvent<FromWorker>) => onReply(event.data));
      // A module that fails to load or throws at the top level gives a plain Event (no message): say which.
      worker.addEventListener("error", (event: Event) => {
        // The usual cause: a bundler that did not emit web-worker.js (see the README's "Browsers").
        const detail =
          event instanceof ErrorEvent && event.message
            ? event.message
            : "its module did not load (was web-worker.js bundled? threads: 1 trains without workers)";
        onFailure(new Error(`training worker ${index} failed: ${detail}`));
      });
      worker.addEventListener("messageerror", () =>
        onFailure(new Error(`training worker ${index} failed: a message could not be deserialised`)),
      );
    },
    post(message: ToWorker, transfer: ArrayBuffer[]): void {
      worker.postMessage(message, transfer);
    },
    // A page does not wait for its workers to exit: nothing to hold.
    hold(): void {},
    async terminate(): Promise<void> {
      worker.terminate();
    },
  };
}
