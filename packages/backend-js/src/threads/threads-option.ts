/** The `threads` option of `jsBackend()`: checked, defaulted, and lowered to 1 where workers cannot run. */
import { BackendError } from "@recurrent/core";
import { availableCores, workersAvailable } from "./worker-pool.js";

/** Most threads the default takes (past 4, a 2-layer model's shards get too small to gain). */
export const DEFAULT_MAX_THREADS = 4;

/**
 * The thread count training uses: `requested`, or by default `min(available cores, 4)` (`navigator.hardwareConcurrency`
 * in a browser); 1 where workers are unavailable (a browser page that is not cross-origin isolated, so has no
 * SharedArrayBuffer, or a runtime with neither Web Workers nor `process.getBuiltinModule`).
 * @throws BackendError BAD_CONFIG when `requested` is not an integer ≥ 1.
 */
export function resolveThreads(requested: number | undefined): number {
  if (requested !== undefined && !(Number.isInteger(requested) && requested >= 1)) {
    throw new BackendError("BAD_CONFIG", `jsBackend: threads must be an integer >= 1, got ${String(requested)}`);
  }
  if (!workersAvailable()) return 1;
  return requested ?? Math.min(availableCores(), DEFAULT_MAX_THREADS);
}
