import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import type { Checkpoint } from "./checkpoint.js";
import { loadCheckpoint, nodeCheckpointIO, saveCheckpoint } from "./checkpoint-node.js";

const checkpoint: Checkpoint = {
  weights: { "d/weight": { shape: [2], data: Float32Array.of(1, -2) } },
  optimizer: { step: 3, slots: {} },
  position: { epoch: 1, batch: 0, step: 3, seed: 0, lossSum: 0, examples: 0, seconds: 0 },
  history: [{ epoch: 0, trainLoss: 0.5, valLoss: null, lr: null, seconds: 0.1 }],
  fingerprint: "f",
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "recurrent-ckpt-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("save then load round-trips, replacing the file atomically and leaving no temp file", async () => {
  const path = join(dir, "run.ckpt");
  await saveCheckpoint(path, checkpoint);
  const next = { ...checkpoint, position: { ...checkpoint.position, epoch: 2 } };
  await saveCheckpoint(path, next);
  expect(await loadCheckpoint(path)).toEqual(next);
  expect(await readdir(dir)).toEqual(["run.ckpt"]);
});

test("a missing file is CHECKPOINT_NOT_FOUND for loadCheckpoint and undefined for nodeCheckpointIO", async () => {
  const path = join(dir, "none.ckpt");
  await expect(loadCheckpoint(path)).rejects.toMatchObject({ code: "CHECKPOINT_NOT_FOUND" });
  await expect(loadCheckpoint(path)).rejects.toThrow(/none\.ckpt/);
  expect(await nodeCheckpointIO.load(path)).toBeUndefined();
});

test("a file that is not a checkpoint is BAD_CHECKPOINT naming the path", async () => {
  const path = join(dir, "junk.ckpt");
  await writeFile(path, "not a checkpoint at all");
  await expect(loadCheckpoint(path)).rejects.toMatchObject({ code: "BAD_CHECKPOINT" });
  await expect(nodeCheckpointIO.load(path)).rejects.toThrow(/junk\.ckpt/);
});
