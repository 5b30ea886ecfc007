/**
 * Loads onnxruntime-node on first use. It is an optional peer dependency: a project that only exports ONNX files
 * never installs its ~290 MB of native binaries, and nothing under the main entry imports it.
 */
import { BackendError } from "@recurrent/core";
import type * as Ort from "onnxruntime-node";

/** The onnxruntime-node module namespace. */
export type OrtModule = typeof Ort;

/** The range this package is tested with (its peerDependency), quoted in the install hint. */
export const ORT_RANGE = "^1.30";

const importOrt = (): Promise<OrtModule> => import("onnxruntime-node");

/** True when `error` says that `specifier` itself could not be found (not one of its own imports). */
function isMissing(error: unknown, specifier: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") &&
    typeof message === "string" &&
    message.includes(`'${specifier}'`)
  );
}

/**
 * Imports onnxruntime-node (`load` is replaceable in tests).
 * @throws BackendError `NO_BACKEND` when it is not installed, saying how to install it; `NO_BACKEND` with the
 *   cause's message when it is installed but fails to load (e.g. no binary for this platform).
 */
export async function loadOnnxRuntime(load: () => Promise<OrtModule> = importOrt): Promise<OrtModule> {
  try {
    return await load();
  } catch (error) {
    if (isMissing(error, "onnxruntime-node")) {
      throw new BackendError(
        "NO_BACKEND",
        `onnxBackend() needs onnxruntime-node, an optional peer dependency of @recurrent/onnx that is not installed; install it with: npm install onnxruntime-node@${ORT_RANGE} (exportOnnx() works without it)`,
      );
    }
    throw new BackendError(
      "NO_BACKEND",
      `onnxBackend(): onnxruntime-node is installed but failed to load: ${(error as Error).message}`,
    );
  }
}
