/**
 * @recurrent/backend-tfjs on tfjs's cpu or wasm backend. The package is optional here: when it cannot be
 * imported, made or initialized, or a model does not compile, its rows read "skipped: <reason>".
 */
import type { Backend } from "@recurrent/core";
import { recurrentSystem } from "./recurrent.js";
import { reasonOf, SkipError, type System } from "./system.js";

// A variable specifier keeps the typecheck independent of the package's current state.
const SPECIFIER = "@recurrent/backend-tfjs";

/**
 * Loads `tfjsBackend({ backend: device })`.
 * @throws SkipError naming the step that failed (import, factory, init).
 */
export async function loadTfjsRecurrent(device: "cpu" | "wasm"): Promise<System> {
  let mod: unknown;
  try {
    mod = await import(SPECIFIER);
  } catch (err) {
    throw new SkipError(`${SPECIFIER} failed to load: ${reasonOf(err)}`);
  }
  const factory = (mod as { tfjsBackend?: unknown }).tfjsBackend;
  if (typeof factory !== "function") throw new SkipError(`${SPECIFIER} exports no tfjsBackend() yet`);
  let backend: Backend;
  try {
    backend = (factory as (options: { backend: string }) => Backend)({ backend: device });
    await backend.init?.();
  } catch (err) {
    throw new SkipError(`tfjsBackend({ backend: "${device}" }) failed to start: ${reasonOf(err)}`);
  }
  return recurrentSystem(backend, { skipOnError: true });
}
