/**
 * Training on the user's own recordings, through the command line: a folder built from the corpus WAVs and their
 * `.phn` files, `train --data` for a few epochs, then `predict --format json|ctm|textgrid` and `evaluate --data`;
 * the bad inputs of issue #15 as exit codes; and Ctrl-C in a child process: exit 130, a checkpoint, no model
 * file, and the printed command resumes to a finished model.
 */
import { spawn } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { decodeSafetensors } from "@recurrent/core";
import { loadModel } from "@recurrent/core/node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { memoryIo } from "./cli/io.js";
import type { PredictResult } from "./commands/predict.js";
import type { FolderTrainResult } from "./commands/train-folder.js";
import { parseTextGrid, pickTier } from "./folder/textgrid.js";
import { run } from "./main.js";

const AUDIO = fileURLToPath(new URL("../../../packages/speech/data/audio/", import.meta.url));
const BIN = fileURLToPath(new URL("../bin/recurrent-speech.js", import.meta.url));
const IDS = [
  "agent-pass",
  "all-circuits-busy-now",
  "check-number-dial-again",
  "conf-invalid",
  "confbridge-unmuted",
  "demo-echodone",
  "digits-7",
];
const SMALL = ["--model", "lstm", "--hidden", "8", "--batch-size", "3", "--seed", "2"];

let dir: string;
let data: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "speech-data-"));
  data = join(dir, "recordings");
  await mkdir(data);
  for (const id of IDS) {
    await copyFile(join(AUDIO, `${id}.wav`), join(data, `${id}.wav`));
    await copyFile(join(AUDIO, `${id}.phn`), join(data, `${id}.phn`));
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  const io = memoryIo();
  const outcome = await run(argv, io);
  return { ...outcome, out: io.stdout.join("\n"), err: io.stderr.join("\n") };
}

describe("train --data, predict, evaluate --data", () => {
  let model: string;
  let trained: FolderTrainResult;
  beforeAll(async () => {
    model = join(dir, "m.safetensors");
    const r = await cli("train", "--data", data, ...SMALL, "--epochs", "2", "--out", model);
    expect(r.code, r.err).toBe(0);
    trained = r.result as FolderTrainResult;
  }, 120_000);

  test("the model file carries labels, feature recipe and CMVN under documented keys; no checkpoint is left", async () => {
    const { metadata } = decodeSafetensors(new Uint8Array(await readFile(model)));
    const labels = JSON.parse(metadata["speech-demo.labels"]!) as string[];
    expect(labels).toEqual(trained.labels);
    // every label of the .phn files, sorted (the corpus uses 34 of the 40 phone classes in these 7 files)
    const phn = await Promise.all(IDS.map((id) => readFile(join(AUDIO, `${id}.phn`), "utf8")));
    const used = [
      ...new Set(
        phn.flatMap((t) =>
          t
            .trim()
            .split("\n")
            .map((l) => l.split(" ")[2]!),
        ),
      ),
    ].sort();
    expect(labels).toEqual(used);
    expect(JSON.parse(metadata["speech-demo.features"]!)).toMatchObject({
      name: "mfcc-39",
      sampleRate: 16000,
      frameStep: 160,
    });
    expect(JSON.parse(metadata["speech-demo.cmvn"]!).mean).toHaveLength(39);
    expect(metadata["speech-demo.cmvn-mode"]).toBe("global");
    expect(metadata["speech-demo.command"]).toContain("recurrent-speech train --data");
    expect(await readdir(dir)).not.toContain("m.safetensors.ckpt");
    expect(trained.epochs).toBe(2);
    expect(trained.steps).toBe(4); // 6 training recordings in length buckets of 3: 2 steps per epoch
  });

  test("predict --format json: frame-centre times, top-k posteriors, segments with confidences", async () => {
    const r = await cli("predict", join(data, "digits-7.wav"), "--model", model, "--format", "json", "--top-k", "2");
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.labels).toEqual(trained.labels);
    expect(j.frames).toHaveLength(80); // 0.820 s: 1 + floor((13122 − 400) / 160)
    expect(j.frames[0].time).toBe(0.0125);
    expect(j.frames[79].time).toBe(0.8025);
    for (const f of j.frames) {
      expect(f.top).toHaveLength(2);
      expect(f.top[0].p).toBeGreaterThanOrEqual(f.top[1].p);
      expect(f.top[0].p + f.top[1].p).toBeLessThanOrEqual(1.0001);
    }
    expect(j.segments[0].start).toBe(0.0075);
    expect(j.segments.at(-1).end).toBe(0.8075);
    for (const s of j.segments) expect(s.confidence).toBeGreaterThan(0);
    expect(typeof j.accuracy).toBe("number"); // scored against digits-7.phn beside it
    const posteriors = JSON.parse(
      (await cli("predict", join(data, "digits-7.wav"), "--model", model, "--format", "json", "--posteriors")).out,
    );
    const sum = (posteriors.frames[5].posteriors as number[]).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 2);
  });

  test("ctm and textgrid carry the same segments; smoothing leaves no segment under the minimum", async () => {
    const wav = join(data, "digits-7.wav");
    const result = (await cli("predict", wav, "--model", model, "--min-duration", "30")).result as PredictResult;
    for (const s of result.segments) expect(s.frames[1] - s.frames[0]).toBeGreaterThanOrEqual(3);
    const ctm = (await cli("predict", wav, "--model", model, "--min-duration", "30", "--format", "ctm")).out.split(
      "\n",
    );
    expect(ctm).toHaveLength(result.segments.length);
    expect(ctm[0]).toMatch(/^digits-7 1 0\.008 \d\.\d{3} \S+ \d\.\d{3}$/);
    const grid = (await cli("predict", wav, "--model", model, "--min-duration", "30", "--format", "textgrid")).out;
    const tier = pickTier(parseTextGrid(grid, "out"), "out");
    expect(tier.intervals.map((i) => i.label)).toEqual(result.segments.map((s) => s.label));
  });

  test("evaluate --data scores the folder with the model's own labels", async () => {
    const r = await cli("evaluate", model, "--data", data);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/7 recordings/);
    expect(r.out).toMatch(/frame accuracy: \d+\.\d % \(1618 frames\)/);
  });
});

describe("train --data corpus", () => {
  test("the same options on the embedded corpus's split report test accuracy over the 40 phone classes", async () => {
    const out = join(dir, "corpus-gru.safetensors");
    const r = await cli(
      "train",
      "--data",
      "corpus",
      "--model",
      "gru",
      "--direction",
      "bidirectional",
      "--merge",
      "concat",
      "--hidden",
      "8",
      "--epochs",
      "1",
      "--train-utterances",
      "6",
      "--test-utterances",
      "2",
      "--out",
      out,
    );
    expect(r.code, r.err).toBe(0);
    const result = r.result as FolderTrainResult;
    expect(result.labels).toHaveLength(40);
    // bidirectional GRU, 8 units per direction (3 gates × 8 × (39 + 8 + 2) each), concat → dense 16 → 40
    expect(result.params).toBe(2 * 3 * 8 * (39 + 8 + 2) + (16 + 1) * 40);
    expect(result.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(r.out).toMatch(/frame accuracy on 2 test utterances \(\d+ frames\): \d+\.\d %/);
    expect(r.err).toContain(
      "the embedded corpus (split seed 1): 6 training, 50 validation, 2 test utterances, 40 labels; bgru-concat-1x8",
    );
  }, 120_000);
});

describe("bad input", () => {
  test.each([
    ["an unknown label symbol", ["--labels", "sil,aa"], 2, /unknown label "\w+"; the labels are sil, aa/],
    ["a zoo id with --data", ["--model", "blstm-sum"], 2, /--model with --data must be one of ffn, rnn, lstm, gru/],
    ["a bad --valid", ["--valid", "1"], 2, /--valid must be in \[0, 1\), got 1/],
  ])("%s", async (_what, extra, code, message) => {
    const r = await cli(
      "train",
      "--data",
      data,
      "--epochs",
      "1",
      "--hidden",
      "4",
      ...extra,
      "--out",
      join(dir, "bad.safetensors"),
    );
    expect(r.code).toBe(code);
    expect(r.err).toMatch(message);
  });

  test("a folder whose names do not pair up", async () => {
    const odd = join(dir, "odd");
    await mkdir(odd);
    await copyFile(join(AUDIO, "digits-7.wav"), join(odd, "seven.wav"));
    await writeFile(join(odd, "7.phn"), "0 100 sil\n");
    const r = await cli("train", "--data", odd, "--out", join(dir, "odd.safetensors"));
    expect(r.code).toBe(1);
    expect(r.err).toContain("WAV files without a label file: seven.wav; label files without a WAV: 7.phn");
  });
});

describe("Ctrl-C", () => {
  test("SIGINT mid-training: exit 130, a checkpoint and no model file; the printed command resumes to the end", async () => {
    const out = join(dir, "sig", "m.safetensors");
    const args = ["train", "--data", data, ...SMALL, "--epochs", "100", "--patience", "0", "--out", out];
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, RECURRENT_PROGRESS_INTERVAL: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let sent = false;
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      // A progress line of epoch 2 or later: training is under way, far from its end.
      if (!sent && /epoch [2-9]\/100/.test(stderr)) {
        sent = true;
        child.kill("SIGINT");
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(sent, stderr).toBe(true);
    expect(code, stderr).toBe(130);
    const resume = /Resume with: (recurrent-speech .*)$/m.exec(stderr);
    expect(resume, stderr).not.toBeNull();
    expect(resume![1]).toContain("--resume");
    expect(stderr).toMatch(
      /interrupted at epoch \d+, step \d+; checkpoint .*m\.safetensors\.ckpt \(no model file written\)/,
    );
    expect(await readdir(join(dir, "sig"))).toEqual(["m.safetensors.ckpt"]);

    const argv = resume![1]!.split(" ").slice(1);
    const r = await cli(...argv);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/resuming from .*m\.safetensors\.ckpt at epoch \d+/);
    expect((r.result as FolderTrainResult).epochs).toBe(100);
    expect(await readdir(join(dir, "sig"))).toEqual(["m.safetensors"]);
  }, 180_000);

  test("the corpus train: Ctrl-C after the first step, then the printed command resumes to the uninterrupted weights", async () => {
    const zoo = [
      "--model",
      "gru",
      "--steps",
      "6",
      "--batch-size",
      "2",
      "--train-utterances",
      "8",
      "--test-utterances",
      "1",
    ];
    const out = join(dir, "zoo", "gru.safetensors");
    // In-process, SIGINT is emitted when the progress bar reports the first step: deterministic, unlike a timer,
    // which need not fire before six fast steps are over (training awaits only microtasks between steps).
    const io = memoryIo();
    let sent = false;
    io.progress = () => ({
      update(step: number) {
        if (step >= 1 && !sent) {
          sent = true;
          process.emit("SIGINT");
        }
      },
      stop() {},
    });
    const outcome = await run(["train", ...zoo, "--out", out], io);
    const first = { ...outcome, err: io.stderr.join("\n") };
    expect(first.code, first.err).toBe(130);
    expect(first.err).toMatch(
      /interrupted at step [1-5] of 6; checkpoint .*gru\.safetensors\.ckpt \(no model file written\)/,
    );
    expect(await readdir(join(dir, "zoo"))).toEqual(["gru.safetensors.ckpt"]);
    const again = /Resume with: recurrent-speech (.*)$/m.exec(first.err)![1]!.split(" ");
    const resumed = await cli(...again);
    expect(resumed.code, resumed.err).toBe(0);
    expect(await readdir(join(dir, "zoo"))).toEqual(["gru.safetensors"]);
    const whole = join(dir, "zoo-whole.safetensors");
    expect((await cli("train", ...zoo, "--out", whole)).code).toBe(0);
    const a = await loadModel(out);
    const b = await loadModel(whole);
    for (const key of Object.keys(b.weights)) expect(a.weights[key]!.data, key).toEqual(b.weights[key]!.data);
  }, 120_000);
});
