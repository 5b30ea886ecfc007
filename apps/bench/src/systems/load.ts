/**
 * Loads one system's code by id. Each system is imported only in the child process that measures it, so
 * tfjs's global backend state and onnxruntime's threads never meet another system's.
 */
import type { SystemId } from "./catalog.js";
import { recurrentSystem } from "./recurrent.js";
import type { System } from "./system.js";

/**
 * The {@link System} for `id`.
 * @throws SkipError when an optional system (backend-tfjs) cannot load; other errors when a runtime is broken.
 */
export async function loadSystem(id: SystemId): Promise<System> {
  switch (id) {
    case "js":
    case "js-2t": {
      const { jsBackend, productKernel } = await import("@recurrent/backend-js");
      // Explicit counts: the backend's default is the available cores (at most 4).
      const threads = id === "js" ? 1 : 2;
      return {
        ...recurrentSystem(jsBackend({ threads })),
        detail: () => `product kernel ${productKernel()}, ${threads} thread(s)`,
      };
    }
    case "onnx": {
      const { onnxBackend } = await import("@recurrent/onnx/node");
      // One intra-op thread, like the plain session it is compared with (and the reference's ORT numbers).
      return recurrentSystem(onnxBackend({ intraOpNumThreads: 1 }));
    }
    case "tfjs-cpu":
    case "tfjs-wasm":
      return (await import("./tfjs-recurrent.js")).loadTfjsRecurrent(id === "tfjs-cpu" ? "cpu" : "wasm");
    case "tfjs-layers-cpu":
    case "tfjs-layers-wasm":
      return (await import("./tf-layers.js")).loadTfLayers(id === "tfjs-layers-cpu" ? "cpu" : "wasm");
    case "ort":
      return (await import("./ort-session.js")).loadOrtSession();
    case "brain":
      return (await import("./brain.js")).loadBrain();
    case "js-chromium":
      return (await import("./chromium.js")).loadChromium();
    case "torch-1":
    case "torch-2":
      throw new Error(`internal: ${id} runs in a Python child (python/torch_bench.py), not in child.ts`);
    default:
      return id satisfies never;
  }
}
