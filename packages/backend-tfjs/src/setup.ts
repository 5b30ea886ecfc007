/**
 * Start-up of the TensorFlow.js runtime: find the namespace, register and select the requested tfjs backend,
 * and say clearly why when it cannot start. Nothing here runs on import.
 */
import { BackendError } from "@recurrent/core";
import type { Tf } from "./tf.js";

/** Options of `tfjsBackend()`. */
export interface TfjsBackendOptions {
  /**
   * The TensorFlow.js namespace to run on, e.g. `await import("@tensorflow/tfjs-node")`. Default: `@tensorflow/tfjs`,
   * imported by `init()`.
   */
  readonly tf?: Tf;
  /**
   * The tfjs backend: `"cpu"`, `"wasm"` (imports `@tensorflow/tfjs-backend-wasm`), `"webgl"`, `"webgpu"`
   * (import `@tensorflow/tfjs-backend-webgpu` yourself first), `"tensorflow"` (pass `tf` from
   * `@tensorflow/tfjs-node`), or any registered name. Default: the namespace's current backend.
   */
  readonly backend?: string;
  /**
   * wasm only: where the `.wasm` files are (`setWasmPaths`): a URL prefix in browsers, a directory in Node.
   * Default in Node: the `dist/` folder of `@tensorflow/tfjs-backend-wasm`.
   */
  readonly wasmPaths?: string;
}

function noBackend(message: string): BackendError {
  return new BackendError("NO_BACKEND", `tfjs: ${message}`);
}

function isNode(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof proc?.versions?.node === "string";
}

/** The folder of the wasm package's entry in Node, as a path (its `.wasm` files sit beside it). */
function nodeWasmDir(): string | undefined {
  const resolve = (import.meta as { resolve?: (specifier: string) => string }).resolve;
  if (typeof resolve !== "function") return undefined;
  try {
    const url = new URL(".", resolve("@tensorflow/tfjs-backend-wasm"));
    return url.protocol === "file:" ? decodeURIComponent(url.pathname) : undefined;
  } catch {
    return undefined;
  }
}

async function registerWasm(tf: Tf, wasmPaths: string | undefined): Promise<void> {
  let wasm: { setWasmPaths(prefix: string): void };
  try {
    wasm = await import("@tensorflow/tfjs-backend-wasm");
  } catch (e) {
    throw noBackend(
      `backend "wasm" needs the package @tensorflow/tfjs-backend-wasm, which failed to load (${(e as Error).message}); ` +
        "install it next to @tensorflow/tfjs (same version)",
    );
  }
  const dir = wasmPaths ?? (isNode() ? nodeWasmDir() : undefined);
  // setWasmPaths only applies before the wasm backend first initializes; later calls would throw.
  if (dir !== undefined && !tf.engine().registry.wasm) wasm.setWasmPaths(dir.endsWith("/") ? dir : `${dir}/`);
}

const HINTS: Readonly<Record<string, string>> = {
  webgpu: 'import "@tensorflow/tfjs-backend-webgpu" before init() (it registers "webgpu"); it needs navigator.gpu',
  tensorflow: 'pass { tf: await import("@tensorflow/tfjs-node") } (tfjs-node registers "tensorflow")',
  webgl: "it needs a browser (or a WebGL context); in Node use cpu or wasm",
};

/**
 * Resolves the namespace and makes `backend` (when given) the active tfjs backend.
 * @returns the namespace and the name of the tfjs backend now active.
 * @throws BackendError `NO_BACKEND` naming the backend, what failed and how to fix it.
 */
export async function startTf(options: TfjsBackendOptions): Promise<{ tf: Tf; backend: string }> {
  let tf = options.tf;
  if (tf === undefined) {
    try {
      tf = (await import("@tensorflow/tfjs")) as Tf;
    } catch (e) {
      throw noBackend(`@tensorflow/tfjs failed to load (${(e as Error).message}); install @tensorflow/tfjs 4.x`);
    }
  }
  const wanted = options.backend;
  if (wanted === undefined) {
    await tf.ready();
    return { tf, backend: tf.getBackend() };
  }
  if (wanted === "wasm") await registerWasm(tf, options.wasmPaths);
  const registered = tf.engine().registryFactory;
  if (!(wanted in registered)) {
    const known = Object.keys(registered).join(", ") || "none";
    throw noBackend(
      `backend "${wanted}" is not registered (registered: ${known}); hint: ${HINTS[wanted] ?? "import the package that registers it"}`,
    );
  }
  let ok: boolean;
  try {
    ok = await tf.setBackend(wanted);
  } catch (e) {
    throw noBackend(`backend "${wanted}" failed to start: ${(e as Error).message}`);
  }
  if (!ok) {
    throw noBackend(`backend "${wanted}" failed to initialize on this machine; hint: ${HINTS[wanted] ?? "try cpu"}`);
  }
  await tf.ready();
  return { tf, backend: wanted };
}
