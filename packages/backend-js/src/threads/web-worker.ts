/**
 * A training worker in a browser (a module Web Worker started by web-worker-pool.ts); the handling is
 * worker-handler.ts, shared with Node's worker.ts. No `node:` import.
 */
import type { ToWorker } from "./protocol.js";
import { serve } from "./worker-handler.js";

/** The worker's global scope, typed without the `WebWorker` lib (the package compiles against `DOM`). */
const scope = globalThis as unknown as {
  addEventListener(type: "message", listener: (event: MessageEvent<ToWorker>) => void): void;
  postMessage(message: unknown, transfer: Transferable[]): void;
};

scope.addEventListener("message", (event) => {
  serve(event.data, (reply, transfer) => scope.postMessage(reply, transfer));
});
