/**
 * Node-only file helpers: atomic writes and saving / loading model files. Exported from `@recurrent/core/node`.
 */
import { randomBytes } from "node:crypto";
import { open, readFile, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Graph } from "../ir/nodes.js";
import type { Weights } from "../weights/weights.js";
import {
  deserializeModel,
  type LoadedModel,
  ModelFileError,
  type SerializeOptions,
  serializeModel,
} from "./model-file.js";
import { SafetensorsError } from "./safetensors.js";

/**
 * Writes `bytes` to `path` atomically: a temp file in the same directory is written, fsynced, then renamed over
 * `path`, so readers see either the old file or the complete new one, never a half-written file. On failure the
 * temp file is removed and the error rethrown.
 * @throws the file system's error (e.g. ENOENT when the directory does not exist, EISDIR when `path` is a
 *   directory).
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  let created = false;
  try {
    const handle = await open(temp, "wx");
    created = true;
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    created = false;
  } catch (error) {
    if (created) await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
}

/** Makes the rename itself durable; some platforms (Windows) cannot open a directory, which is harmless. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch {
    // Best effort only: the data itself is already fsynced and renamed.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Saves a model and its weights as one `.safetensors` file (see `serializeModel`), atomically.
 * @throws IrError when the graph or weights are invalid (nothing is written); ModelFileError for bad metadata;
 *   the file system's error when writing fails.
 */
export async function saveModel(
  path: string,
  model: Graph,
  weights: Weights,
  options: SerializeOptions = {},
): Promise<void> {
  await writeFileAtomic(path, serializeModel(model, weights, options));
}

/**
 * Loads a model file written by {@link saveModel}: the validated model, its weights and user metadata. Never
 * runs random initialization.
 * @throws SafetensorsError / ModelFileError (message prefixed with the path) when the file is corrupt or not a
 *   model; IrError when its graph or weights are invalid; the file system's error when it cannot be read.
 */
export async function loadModel(path: string): Promise<LoadedModel> {
  const bytes = await readFile(path);
  try {
    return deserializeModel(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    if (error instanceof SafetensorsError) {
      throw new SafetensorsError(error.code, `${path}: ${error.message}`, error.tensor);
    }
    if (error instanceof ModelFileError) throw new ModelFileError(error.code, `${path}: ${error.message}`);
    throw error;
  }
}
