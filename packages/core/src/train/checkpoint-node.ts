/**
 * Node-only checkpoint files (exported from `@recurrent/core/node`): written atomically (temp file, fsync,
 * rename), so a run killed at any moment leaves the previous checkpoint or the new one, never a torn file.
 */
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "../io/model-file-node.js";
import { type Checkpoint, type CheckpointIO, decodeCheckpoint, encodeCheckpoint } from "./checkpoint.js";
import { TrainError } from "./errors.js";

/**
 * Writes a checkpoint to `path` atomically.
 * @throws SafetensorsError / TrainError `BAD_CHECKPOINT` for a malformed checkpoint (nothing is written); the
 *   file system's error when writing fails.
 */
export async function saveCheckpoint(path: string, checkpoint: Checkpoint): Promise<void> {
  await writeFileAtomic(path, encodeCheckpoint(checkpoint));
}

/**
 * Reads a checkpoint written by {@link saveCheckpoint}.
 * @throws TrainError `CHECKPOINT_NOT_FOUND` when `path` does not exist; `BAD_CHECKPOINT` when it is not a
 *   checkpoint of a known format; the file system's other errors.
 */
export async function loadCheckpoint(path: string): Promise<Checkpoint> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") {
      throw new TrainError("CHECKPOINT_NOT_FOUND", `No checkpoint at "${path}": the file does not exist`);
    }
    throw e;
  }
  return decodeCheckpoint(bytes, `checkpoint "${path}"`);
}

/** The file-system {@link CheckpointIO} that `fit` uses by default in Node. */
export const nodeCheckpointIO: CheckpointIO = {
  save: saveCheckpoint,
  async load(path) {
    try {
      return await loadCheckpoint(path);
    } catch (e) {
      if (e instanceof TrainError && e.code === "CHECKPOINT_NOT_FOUND") return undefined;
      throw e;
    }
  },
};
