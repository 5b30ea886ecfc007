/**
 * python/torch_bench.py end to end on tiny sizes, when this machine has PyTorch (skipped otherwise): every
 * workload comes back as a valid message. Checks the protocol and the models' wiring, never a timing.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import type { WorkloadResult } from "../protocol.js";
import { runTorchChild } from "../spawn-child.js";
import { WORKLOAD_IDS } from "../workloads.js";
import { detectTorch } from "./detect.js";
import { writeTorchJob } from "./job.js";

const torch = await detectTorch();
let dir: string | undefined;
afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!torch.ok)("torch_bench.py", () => {
  test("measures every workload at tiny sizes and reports RSS and what ran", { timeout: 120_000 }, async () => {
    dir = await mkdtemp(join(tmpdir(), "bench-torch-"));
    const plan = { minWarmups: 1, maxWarmups: 1, warmupBudgetMs: 0, minReps: 2, maxReps: 2, budgetMs: 0 };
    const job = await writeTorchJob("torch-1", WORKLOAD_IDS, { T: 4, B: 2, H: 8, frames: 3 }, plan, dir);
    const progress: string[] = [];
    const results: WorkloadResult[] = await runTorchChild(job, {
      timeoutMs: 110_000,
      verbose: false,
      onProgress: (t) => progress.push(t),
      onResult: () => {},
    });
    expect(results.map((r) => [r.workload, r.status, r.status === "ok" ? "" : r.reason])).toEqual(
      WORKLOAD_IDS.map((id) => [id, "ok", ""]),
    );
    for (const r of results) {
      if (r.status !== "ok") continue;
      expect(r.samples).toHaveLength(2);
      expect(r.warmups).toBe(1);
      expect(r.size).toBe(r.workload === "W4" ? 3 : 4);
      expect(r.peakRssMiB).toBeGreaterThan(0);
      expect(r.detail).toMatch(/^torch \S+, 1 thread\(s\), BLAS /);
    }
    expect(progress[0]).toBe("PyTorch 1 thread W1: preparing");
  });
});
