import { BackendError } from "@recurrent/core";
import { describe, expect, it } from "vitest";
import { loadOnnxRuntime, type OrtModule } from "./ort.js";

/** Rejects like Node's ESM loader does for a package that is not installed. */
function notFound(specifier: string): () => Promise<OrtModule> {
  return () =>
    Promise.reject(
      Object.assign(new Error(`Cannot find package '${specifier}' imported from /app/node_modules/x.js`), {
        code: "ERR_MODULE_NOT_FOUND",
      }),
    );
}

describe("loadOnnxRuntime", () => {
  it("loads the installed onnxruntime-node", async () => {
    const ort = await loadOnnxRuntime();
    expect(typeof ort.InferenceSession.create).toBe("function");
    expect(typeof ort.Tensor).toBe("function");
  });

  it("says how to install onnxruntime-node when it is missing", async () => {
    const error = await loadOnnxRuntime(notFound("onnxruntime-node")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).code).toBe("NO_BACKEND");
    expect((error as Error).message).toContain("npm install onnxruntime-node@^1.30");
    expect((error as Error).message).toContain("exportOnnx() works without it");
  });

  it("reports a broken install (a missing dependency of onnxruntime-node) with the cause, not the install hint", async () => {
    const error = await loadOnnxRuntime(notFound("onnxruntime-common")).catch((e: unknown) => e);
    expect((error as BackendError).code).toBe("NO_BACKEND");
    expect((error as Error).message).toMatch(/installed but failed to load: Cannot find package 'onnxruntime-common'/);
  });
});
