import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { KILL_RUN, LinearTrainer, memoryIO, regressionSet } from "./__fixtures__/linear-trainer.js";
import { loadCheckpoint } from "./checkpoint-node.js";
import { vectorDataset } from "./dataset.js";
import { TrainingDivergedError } from "./errors.js";
import { type FitOptions, fit, type History } from "./fit.js";
import { cosineDecay } from "./schedules.js";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../../../..");

const losses = (h: History) => h.epochs.map((r) => [r.epoch, r.trainLoss, r.valLoss, r.lr]);

describe("resume from an in-memory checkpoint", () => {
  const options = {
    epochs: 4,
    batchSize: 3,
    seed: 11,
    validation: regressionSet(5, 50),
    learningRate: cosineDecay({ initial: 0.05, steps: 16, warmup: 2 }),
  } satisfies FitOptions;
  const trainer = () => new LinearTrainer({ w0: [0.2, 0.1, -0.3], lr: 1, momentum: 0.8 });

  test("resuming from any checkpoint (mid-epoch or at an epoch end) gives the uninterrupted run's weights", async () => {
    const { io, saved } = memoryIO();
    const full = trainer();
    const fullHistory = await fit(full, regressionSet(11), { ...options, checkpoint: { path: "c", every: 1, io } });
    expect(saved).toHaveLength(16);
    expect(saved.filter((c) => c.position.batch > 0).length).toBeGreaterThan(8);
    for (const ck of saved) {
      const mem = memoryIO();
      await mem.io.save("c", ck);
      const resumed = trainer();
      const history = await fit(resumed, regressionSet(11), {
        ...options,
        checkpoint: { path: "c", every: 1, io: mem.io },
        resume: true,
      });
      expect(resumed.w, `resumed from step ${ck.position.step}`).toEqual(full.w);
      expect(resumed.v).toEqual(full.v);
      expect(resumed.steps).toBe(16);
      expect(resumed.lrLog).toEqual(full.lrLog.slice(ck.position.step));
      expect(losses(history)).toEqual(losses(fullHistory));
    }
  });

  test("a mid-epoch checkpoint records epoch, batch within it, global step and the partial epoch loss", async () => {
    const { io, saved } = memoryIO();
    await fit(trainer(), regressionSet(11), { ...options, checkpoint: { path: "c", every: 5, io } });
    // 4 batches per epoch (3, 3, 3, 2 examples): step 5 ends batch 0 of epoch 1, step 10 batch 1 of epoch 2,
    // step 15 batch 2 of epoch 3 (`batch` counts the batches done).
    expect(saved.map((c) => [c.position.epoch, c.position.batch, c.position.step, c.position.examples])).toEqual([
      [1, 1, 5, 3],
      [2, 2, 10, 6],
      [3, 3, 15, 9],
    ]);
    expect(saved[1]!.history).toHaveLength(2);
    expect(saved[1]!.optimizer.step).toBe(10);
    expect(saved[1]!.optimizer.slots["momentum/lin/w"]!.shape).toEqual([3]);
  });

  test("early stopping with restoreBest survives a resume at every epoch", async () => {
    const es = {
      epochs: 40,
      batchSize: 4,
      validation: regressionSet(6, 3),
      earlyStopping: { patience: 2, restoreBest: true, monitor: "trainLoss" as const, minDelta: 0.02 },
    };
    const { io, saved } = memoryIO();
    const full = trainer();
    const fullHistory = await fit(full, regressionSet(12), { ...es, checkpoint: { path: "c", io } });
    expect(fullHistory.stopReason).toBe("earlyStop");
    expect(saved.length).toBeGreaterThan(2);
    expect(saved.length).toBe(fullHistory.epochs.length);
    for (const ck of saved) {
      const mem = memoryIO();
      await mem.io.save("c", ck);
      const resumed = trainer();
      const history = await fit(resumed, regressionSet(12), {
        ...es,
        checkpoint: { path: "c", io: mem.io },
        resume: true,
      });
      expect(history.stopReason).toBe("earlyStop");
      expect(resumed.w).toEqual(full.w);
      expect(losses(history)).toEqual(losses(fullHistory));
    }
  });

  test("a checkpoint from a run with another seed, batch size or dataset is refused", async () => {
    const { io } = memoryIO();
    await fit(trainer(), regressionSet(11), { ...options, epochs: 1, checkpoint: { path: "c", io } });
    for (const [change, field] of [
      [{ seed: 12 }, /seed: checkpoint 11, now 12/],
      [{ batchSize: 4 }, /batchSize: checkpoint 3, now 4/],
      [{ fingerprint: "model-b" }, /user: checkpoint null, now "model-b"/],
    ] as const) {
      const run = fit(trainer(), regressionSet(11), {
        ...options,
        ...change,
        checkpoint: { path: "c", io },
        resume: true,
      });
      await expect(run).rejects.toMatchObject({ code: "RESUME_MISMATCH" });
      await expect(run).rejects.toThrow(field);
    }
    const other = fit(trainer(), regressionSet(12), { ...options, checkpoint: { path: "c", io }, resume: true });
    await expect(other).rejects.toThrow(/trainSize: checkpoint 11, now 12/);
  });

  test("resume: true starts fresh when there is no checkpoint yet; resume: <path> requires one", async () => {
    const { io } = memoryIO();
    const t = trainer();
    await fit(t, regressionSet(11), { ...options, epochs: 1, checkpoint: { path: "c", io }, resume: true });
    expect(t.steps).toBe(4);
    const run = fit(trainer(), regressionSet(11), { ...options, checkpoint: { path: "c", io }, resume: "missing" });
    await expect(run).rejects.toMatchObject({ code: "CHECKPOINT_NOT_FOUND" });
  });
});

describe("checkpoint files", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "recurrent-fit-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("a string checkpoint path writes files in Node; training can be extended by resuming with more epochs", async () => {
    const path = join(dir, "run.ckpt");
    const base = { batchSize: 4, seed: 5 };
    const full = KILL_RUN.trainer();
    await fit(full, KILL_RUN.data(), { ...base, epochs: 5 });
    const first = KILL_RUN.trainer();
    await fit(first, KILL_RUN.data(), { ...base, epochs: 2, checkpoint: path });
    expect((await loadCheckpoint(path)).position).toMatchObject({ epoch: 2, batch: 0, step: 10 });
    const second = KILL_RUN.trainer();
    const history = await fit(second, KILL_RUN.data(), { ...base, epochs: 5, checkpoint: path, resume: true });
    expect(second.w).toEqual(full.w);
    expect(history.epochs).toHaveLength(5);
    expect(await readdir(dir)).toEqual(["run.ckpt"]);
  });

  test("divergence leaves the last good checkpoint and no temp file", async () => {
    const path = join(dir, "run.ckpt");
    // Loss w², w ← (1 − 2·lr)·w = −1999·w: |w| = 1999^k overflows float32 (3.4e38) at k = 12, so the weights
    // after the 12th step are infinite while every loss up to then is finite in float64.
    const examples = [{ x: Float32Array.of(1), y: Float32Array.of(0) }];
    const run = fit(new LinearTrainer({ w0: [1], lr: 1000 }), vectorDataset(examples, { input: "x" }), {
      epochs: 100,
      batchSize: 1,
      checkpoint: { path, every: 1 },
      divergence: false, // the loss-growth rule would stop this run at step 1; here the weights check is tested
    });
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect(error).toMatchObject({ code: "DIVERGED", quantity: "weights", weight: "lin/w", step: 12 });
    const last = await loadCheckpoint(path);
    expect(last.position.step).toBe(11);
    expect(Math.abs(last.weights["lin/w"]!.data[0]!)).toBeCloseTo(1999 ** 11, -32);
    expect(await readdir(dir)).toEqual(["run.ckpt"]);
  });

  test("a child process killed with SIGKILL mid-epoch resumes to the uninterrupted run's weights", async () => {
    const path = join(dir, "kill.ckpt");
    const child = spawn(
      process.execPath,
      ["--conditions=@recurrent/source", "--import", "tsx", join(here, "__fixtures__/train-child.ts"), path],
      { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const killedAt = await new Promise<number>((resolvePromise, reject) => {
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        const steps = [...out.matchAll(/checkpoint (\d+)/g)].map((m) => Number(m[1]));
        // 5 batches per epoch: after step 6 the child is in epoch 1 and pauses (see train-child.ts).
        if (steps.includes(6) && child.exitCode === null && !child.killed) {
          child.kill("SIGKILL");
          resolvePromise(Math.max(...steps));
        }
      });
      child.on("exit", (code, signal) => {
        if (signal !== "SIGKILL") reject(new Error(`child exited (${code}) before it was killed: ${stderr}`));
      });
    });
    await new Promise((r) => child.once("close", r));
    expect(child.signalCode).toBe("SIGKILL");
    const ck = await loadCheckpoint(path);
    expect(ck.position.step).toBeGreaterThanOrEqual(killedAt);
    expect(ck.position.step).toBeLessThan(10);
    expect(ck.position.epoch).toBe(1);
    expect(ck.position.batch).toBeGreaterThan(0);

    const resumed = KILL_RUN.trainer();
    await fit(resumed, KILL_RUN.data(), { ...KILL_RUN.options, checkpoint: { path, every: 1 }, resume: true });
    const uninterrupted = KILL_RUN.trainer();
    await fit(uninterrupted, KILL_RUN.data(), KILL_RUN.options);
    expect(resumed.steps).toBe(15);
    expect(resumed.w).toEqual(uninterrupted.w);
    expect(resumed.v).toEqual(uninterrupted.v);
  }, 60_000);
});
