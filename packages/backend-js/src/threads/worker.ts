/**
 * A training worker on Node's `worker_threads` (the handling is worker-handler.ts, shared with web-worker.ts).
 * Loaded only by worker-pool.ts, never by the package entry, so its `node:` import stays out of browsers.
 */
import { parentPort } from "node:worker_threads";
import type { ToWorker } from "./protocol.js";
import { serve } from "./worker-handler.js";

parentPort!.on("message", (message: ToWorker) => {
  serve(message, (reply, transfer) => parentPort!.postMessage(reply, transfer));
});
