/**
 * Node-only file helpers: atomic writes and saving / loading model files. Exported from `@recurrent/core/node`.
 */
import { randomBytes } from "node:crypto";
import { open, readFile, rename, stat, unlink } from "node:fs/promises";
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
 * The largest model file {@link loadModel} reads unless told otherwise: 1 GiB, i.e. about 268 million float32
 * parameters, three orders of magnitude above the RNNs this library trains. It bounds what a wrong path (a
 * symlink to `/dev/zero`, a disk image) can make the process read.
 */
export const MAX_MODEL_FILE_BYTES = 1024 ** 3;

/** Options of {@link loadModel}. */
export interface LoadModelOptions {
  /** Refuse files larger than this many bytes; default {@link MAX_MODEL_FILE_BYTES}. */
  readonly maxBytes?: number;
}

/**
 * Loads a model file written by {@link saveModel}: the validated model, its weights and user metadata. Never
 * runs random initialization. Only regular files (or symlinks to one) of at most `maxBytes` are read, so a device,
 * a FIFO or a huge file is refused before any byte is read.
 * @throws ModelFileError `NOT_A_FILE` for a directory, device, FIFO or socket; `TOO_LARGE` for a file over
 *   `maxBytes`; SafetensorsError / ModelFileError (message prefixed with the path) when the file is corrupt or not
 *   a model; IrError when its graph or weights are invalid; the file system's error when it cannot be read.
 */
export async function loadModel(path: string, options: LoadModelOptions = {}): Promise<LoadedModel> {
  const maxBytes = options.maxBytes ?? MAX_MODEL_FILE_BYTES;
  const info = await stat(path);
  if (!info.isFile()) {
    throw new ModelFileError("NOT_A_FILE", `${path}: is ${describeKind(info)}, expected a regular .safetensors file`);
  }
  if (info.size > maxBytes) {
    throw new ModelFileError(
      "TOO_LARGE",
      `${path}: is ${info.size} bytes, expected at most ${maxBytes}; pass { maxBytes } to loadModel to read it anyway`,
    );
  }
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

function describeKind(info: Awaited<ReturnType<typeof stat>>): string {
  if (info.isDirectory()) return "a directory";
  if (info.isFIFO()) return "a FIFO (named pipe)";
  if (info.isCharacterDevice() || info.isBlockDevice()) return "a device";
  if (info.isSocket()) return "a socket";
  return "not a regular file";
}
