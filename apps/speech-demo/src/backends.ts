/**
 * `--backend js|tfjs|onnx`: backend-js always works; backend-tfjs is loaded only when asked for (and reported
 * in one line when it cannot start); onnx runs inference only.
 */
import { jsBackend } from "@recurrent/backend-js";
import type { Backend } from "@recurrent/core";
import { CliError } from "./cli/errors.js";

/** The backend names the app accepts. */
export const BACKENDS = ["js", "tfjs", "onnx"] as const;
export type BackendName = (typeof BACKENDS)[number];

/**
 * The backend of that name, started (`init()`).
 * @throws CliError `BACKEND` when it cannot be loaded or started (the reason in the message), or when
 *   `training` is asked of an inference-only backend.
 */
export async function openBackend(name: BackendName, purpose: "train" | "infer"): Promise<Backend> {
  const backend = await load(name);
  if (purpose === "train" && backend.trainer === undefined) {
    throw new CliError(
      "BACKEND",
      `backend "${name}" runs inference only and cannot train; use --backend js${name === "onnx" ? " (or tfjs)" : ""}`,
    );
  }
  try {
    await backend.init?.();
  } catch (err) {
    throw new CliError("BACKEND", `backend "${name}" failed to start: ${(err as Error).message ?? String(err)}`);
  }
  return backend;
}

async function load(name: BackendName): Promise<Backend> {
  switch (name) {
    case "js":
      return jsBackend();
    case "onnx": {
      try {
        const { onnxBackend } = await import("@recurrent/onnx/node");
        return onnxBackend();
      } catch (err) {
        throw new CliError("BACKEND", `backend "onnx" is not usable: ${firstLine(err)}`);
      }
    }
    case "tfjs": {
      let mod: Record<string, unknown>;
      try {
        // A variable specifier keeps tsc from requiring the package's types while it is being written.
        const specifier = "@recurrent/backend-tfjs";
        mod = (await import(specifier)) as Record<string, unknown>;
      } catch (err) {
        throw new CliError(
          "BACKEND",
          `backend "tfjs" is not usable: @recurrent/backend-tfjs failed to load (${firstLine(err)}); use --backend js`,
        );
      }
      const factory = mod.tfjsBackend;
      if (typeof factory !== "function") {
        throw new CliError(
          "BACKEND",
          `backend "tfjs" is not usable: @recurrent/backend-tfjs does not export tfjsBackend(); use --backend js`,
        );
      }
      return (factory as () => Backend)();
    }
    default:
      return name satisfies never;
  }
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split("\n")[0] ?? message;
}
