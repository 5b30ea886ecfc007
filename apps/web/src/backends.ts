/**
 * The backend switch: backend-js (pure TypeScript + WebAssembly SIMD), tfjs `webgl` and tfjs `webgpu`. Each one is
 * probed without loading TensorFlow.js (a WebGL 2 context; `navigator.gpu.requestAdapter()`), so a page that only
 * uses backend-js never downloads tfjs: the tfjs chunks are imported on first use. Works in a window and in a
 * worker (OffscreenCanvas).
 */
import { jsBackend } from "@recurrent/backend-js";
import type { TrainingBackend } from "@recurrent/core";

/** The backends the page offers. */
export const BACKEND_IDS = ["js", "webgl", "webgpu"] as const;
export type BackendId = (typeof BACKEND_IDS)[number];

/** Names shown in the page. */
export const BACKEND_LABELS: Readonly<Record<BackendId, string>> = {
  js: "backend-js (WASM SIMD)",
  webgl: "tfjs webgl",
  webgpu: "tfjs webgpu",
};

/** Whether a backend can run here: `true`, or the reason it cannot. */
export type Availability = true | string;

interface GpuLike {
  requestAdapter(): Promise<{ info?: { vendor?: string; architecture?: string; description?: string } } | null>;
}

function webgl2(): Availability {
  try {
    const canvas =
      typeof OffscreenCanvas !== "undefined"
        ? new OffscreenCanvas(1, 1)
        : typeof document !== "undefined"
          ? document.createElement("canvas")
          : undefined;
    if (canvas === undefined) return "no canvas here (neither OffscreenCanvas nor a document)";
    const gl = (canvas as OffscreenCanvas).getContext("webgl2");
    return gl === null ? "this browser gives no WebGL 2 context (GPU blocklisted or WebGL turned off)" : true;
  } catch (e) {
    return `creating a WebGL 2 context threw: ${(e as Error).message}`;
  }
}

/** `true` with a description of the adapter, or why there is none. */
export async function webgpuAdapter(): Promise<{ ok: true; adapter: string } | { ok: false; reason: string }> {
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  if (gpu === undefined) {
    return { ok: false, reason: "navigator.gpu is undefined: this browser has no WebGPU (or it is turned off)" };
  }
  try {
    const adapter = await gpu.requestAdapter();
    if (adapter === null) return { ok: false, reason: "navigator.gpu.requestAdapter() returned null: no GPU adapter" };
    const info = adapter.info;
    const name = [info?.vendor, info?.architecture, info?.description].filter((s) => s).join(" ");
    return { ok: true, adapter: name || "unnamed adapter" };
  } catch (e) {
    return { ok: false, reason: `navigator.gpu.requestAdapter() threw: ${(e as Error).message}` };
  }
}

/** Probes every backend. */
export async function probeBackends(): Promise<Record<BackendId, Availability>> {
  const gpu = await webgpuAdapter();
  return {
    js: typeof WebAssembly === "object" ? true : "this browser has no WebAssembly",
    webgl: webgl2(),
    webgpu: gpu.ok ? true : gpu.reason,
  };
}

const cache = new Map<BackendId, Promise<TrainingBackend>>();

/**
 * The backend, started (tfjs and its backend package are imported here, once).
 * @throws BackendError `NO_BACKEND` from backend-tfjs, saying why, when the tfjs backend cannot start.
 */
export function createBackend(id: BackendId): Promise<TrainingBackend> {
  let b = cache.get(id);
  if (b === undefined) {
    b = start(id);
    b.catch(() => cache.delete(id));
    cache.set(id, b);
  }
  return b;
}

async function start(id: BackendId): Promise<TrainingBackend> {
  if (id === "js") return jsBackend();
  const [{ tfjsBackend }, tf] = await Promise.all([import("@recurrent/backend-tfjs"), import("@tensorflow/tfjs")]);
  // Shapes as shader uniforms: one compiled program per op instead of one per (op, shapes); a streaming chunk
  // has a new length almost every push.
  if (id === "webgl") tf.env().set("WEBGL_USE_SHAPES_UNIFORMS", true);
  if (id === "webgpu") await import("@tensorflow/tfjs-backend-webgpu");
  const backend = tfjsBackend({ tf, backend: id });
  await backend.init!();
  return backend;
}
