import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeSafetensors } from "@recurrent/core";
import { afterAll, describe, expect, test } from "vitest";
import { uniformSequence } from "../data.js";
import { QUICK_PLAN } from "../measure.js";
import { FULL_SIZES } from "../workloads.js";
import { torchTensors, writeTorchJob } from "./job.js";

const shapes = (t: Record<string, { shape: readonly number[] }>) =>
  Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.shape]));

describe("torchTensors", () => {
  test("W1: nn.LSTM(39, 128) as `rnn` and nn.Linear(128, 39) as `out`, PyTorch's names and shapes", () => {
    expect(shapes(torchTensors("W1", FULL_SIZES))).toEqual({
      "rnn.weight_ih_l0": [512, 39],
      "rnn.weight_hh_l0": [512, 128],
      "rnn.bias_ih_l0": [512],
      "rnn.bias_hh_l0": [512],
      "out.weight": [39, 128],
      "out.bias": [39],
      "data.x": [100, 32, 39],
      "data.target": [100, 32, 39],
    });
  });

  test("W5 has the _reverse twins, W6 one gate block, W4 only frames, W7 the three Linear layers", () => {
    expect(Object.keys(torchTensors("W5", FULL_SIZES)).filter((k) => k.endsWith("_reverse"))).toHaveLength(4);
    expect(torchTensors("W6", FULL_SIZES)["rnn.weight_hh_l0"]!.shape).toEqual([128, 128]);
    const w4 = shapes(torchTensors("W4", FULL_SIZES));
    expect(w4["data.frames"]).toEqual([1000, 1, 39]);
    expect(w4["data.x"]).toBeUndefined();
    expect(shapes(torchTensors("W7", FULL_SIZES))).toEqual({
      "hidden1.weight": [140, 1599],
      "hidden1.bias": [140],
      "hidden2.weight": [140, 140],
      "hidden2.bias": [140],
      "out.weight": [40, 140],
      "out.bias": [40],
      "data.x": [100, 32, 39],
      "data.target": [100, 32, 40],
    });
  });

  test("the inputs are the seeded values backend-js gets (data.ts, seed 1)", () => {
    expect(torchTensors("W3", FULL_SIZES)["data.x"]!.data).toEqual(uniformSequence(100, 32, 39, 1).data);
  });
});

describe("writeTorchJob", () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  test("writes one .safetensors per workload and describes it for torch_bench.py", async () => {
    dir = await mkdtemp(join(tmpdir(), "bench-job-"));
    const sizes = { T: 5, B: 2, H: 8, frames: 3 };
    const job = await writeTorchJob("torch-2", ["W2", "W7"], sizes, QUICK_PLAN, dir);
    expect(job).toMatchObject({ system: "torch-2", label: "PyTorch 2 threads", threads: 2, plan: QUICK_PLAN });
    expect(job.workloads.map((w) => [w.id, w.cell, w.kind, w.H, w.O, w.B, w.T])).toEqual([
      ["W2", "gru", "train", 8, 39, 2, 5],
      ["W7", "ffn", "train", 8, 40, 2, 5],
    ]);
    const file = decodeSafetensors(new Uint8Array(await readFile(job.workloads[0]!.tensors)));
    expect(file.tensors["rnn.weight_ih_l0"]!.shape).toEqual([24, 39]);
    expect(file.tensors["data.target"]!.shape).toEqual([5, 2, 39]);
  });

  test("refuses a system that is not PyTorch", async () => {
    await expect(writeTorchJob("js", ["W1"], FULL_SIZES, QUICK_PLAN, tmpdir())).rejects.toThrow(/not a PyTorch system/);
  });
});
