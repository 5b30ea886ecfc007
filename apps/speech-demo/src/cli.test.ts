/**
 * The command line, in-process on tiny slices of the corpus (a few training steps, a few utterances): each
 * command, its output, its files, and its error paths with their exit codes.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PHONE_CLASSES, resample, writeWav } from "@recurrent/speech";
import { readWavFile } from "@recurrent/speech/node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { memoryIo } from "./cli/io.js";
import type { DemoResult } from "./commands/demo.js";
import type { PredictResult } from "./commands/predict.js";
import type { TrainCommandResult } from "./commands/train.js";
import { run } from "./main.js";
import type { StreamRun } from "./tasks/streaming.js";

const AUDIO = fileURLToPath(new URL("../../../packages/speech/data/audio/", import.meta.url));
const WAV = join(AUDIO, "confbridge-unmuted.wav"); // in the test split
const TINY = ["--steps", "3", "--train-utterances", "12", "--test-utterances", "3"];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "speech-demo-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  const io = memoryIo();
  const outcome = await run(argv, io);
  return { ...outcome, out: io.stdout.join("\n"), err: io.stderr.join("\n"), stderr: io.stderr };
}

describe("--help", () => {
  test.each(["demo", "train", "evaluate", "predict", "stream", "export"])(
    "%s --help prints usage and exits 0",
    async (cmd) => {
      const r = await cli(cmd, "--help");
      expect(r.code).toBe(0);
      expect(r.out).toContain(`Usage: recurrent-speech ${cmd}`);
      if (cmd !== "export") expect(r.out).toContain("--backend");
    },
  );

  test("the program's --help lists every command", async () => {
    const r = await cli("--help");
    expect(r.code).toBe(0);
    for (const cmd of ["demo", "train", "evaluate", "predict", "stream", "export"]) expect(r.out).toContain(cmd);
  });
});

describe("train, evaluate, predict, stream, export", () => {
  let model: string;
  beforeAll(async () => {
    model = join(dir, "tiny-lstm.safetensors");
    const r = await cli("train", "--model", "lstm", ...TINY, "--out", model);
    expect(r.code, r.err).toBe(0);
  }, 60_000);

  test("train writes a model file with its CMVN statistics and reports its accuracy", async () => {
    const r = await cli("train", "--model", "gru", ...TINY, "--out", join(dir, "gru.safetensors"));
    expect(r.code, r.err).toBe(0);
    const result = r.result as TrainCommandResult;
    expect(result.params).toBe(3 * 72 * (39 + 72 + 2) + 73 * 40);
    expect(result.metric).toBeGreaterThan(0);
    expect(result.metric).toBeLessThanOrEqual(1);
    const printed = r.out.match(/frame accuracy on 3 test utterances \(\d+ frames\): (\d+\.\d) %/);
    expect(printed, r.out).not.toBeNull();
    // The printed percentage is the returned metric, rounded to one decimal.
    expect(Math.abs(Number(printed![1]) - result.metric * 100)).toBeLessThanOrEqual(0.05 + 1e-9);
    const text = new TextDecoder().decode(await readFile(join(dir, "gru.safetensors")));
    expect(text).toContain('"speech-demo.cmvn"');
    expect(text).toContain("recurrent-speech train --model gru");
  }, 60_000);

  test("train --task next-frame reports MSE against the repeat-last baseline", async () => {
    const r = await cli(
      "train",
      "--task",
      "next-frame",
      "--model",
      "rnn",
      ...TINY,
      "--out",
      join(dir, "nf.safetensors"),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/next-frame MSE on 3 test utterances: \d\.\d{4} \(repeat-last baseline \d\.\d{4}, ratio/);
    const e = await cli("evaluate", join(dir, "nf.safetensors"), "--utterances", "2");
    expect(e.code, e.err).toBe(0);
    expect(e.out).toMatch(/next-frame MSE \(horizon 1\)/);
    const p = await cli("predict", WAV, "--model", join(dir, "nf.safetensors"));
    expect(p.code).toBe(1);
    expect(p.err).toMatch(/is a next-frame model; this command needs a classify model/);
  }, 60_000);

  test("evaluate prints frame accuracy and the most frequent confusions", async () => {
    const r = await cli("evaluate", model, "--utterances", "2", "--split", "valid");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/frame accuracy: \d+\.\d % \(\d+ frames\)/);
    expect(r.out).toContain("most frequent confusions:");
  });

  test("predict prints phone segments and scores them against the .phn beside the WAV", async () => {
    const r = await cli("predict", WAV, "--model", model);
    expect(r.code, r.err).toBe(0);
    const result = r.result as PredictResult;
    expect(result.phones.length).toBe(163);
    expect(r.out).toMatch(/163 frames/);
    expect(r.out).toMatch(/frame accuracy against .*confbridge-unmuted\.phn: \d+\.\d % \(\d+\/163\)/);
    const frames = await cli("predict", WAV, "--model", model, "--frames");
    // frame, its centre time (t · 10 ms + 12.5 ms), label, confidence
    const lines = frames.out.split("\n").filter((l) => /^\s+\d+\s+\d+\.\d{4}\s+\w+\s+[01]\.\d{3}$/.test(l));
    expect(lines).toHaveLength(163);
    expect(lines[1]).toMatch(/^\s+1\s+0\.0225\s/);
  });

  test("predict takes a WAV at another sample rate (44.1 kHz float, resampled to 16 kHz)", async () => {
    const { samples } = await readWavFile(WAV);
    const wav44 = join(dir, "resampled-44k.wav");
    await writeFile(wav44, writeWav(resample(samples, 16000, 44100), 44100, { encoding: "float32" }));
    const r = await cli("predict", wav44);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/at 44100 Hz → 16[234] frames/);
    const native = (await cli("predict", WAV)).result as PredictResult;
    const other = (r.result as PredictResult).phones;
    let same = 0;
    for (let t = 0; t < Math.min(other.length, native.phones.length); t++) if (other[t] === native.phones[t]) same++;
    expect(same / native.phones.length).toBeGreaterThan(0.8);
  });

  test("the shipped model predicts a held-out recording well above chance (1/40)", async () => {
    const r = await cli("predict", WAV);
    expect(r.code, r.err).toBe(0);
    expect((r.result as PredictResult).accuracy).toBeGreaterThan(0.45);
  });

  test("stream gives per-frame phones with latencies, the same as predict on the whole file", async () => {
    const r = await cli("stream", WAV, "--model", model, "--every", "10");
    expect(r.code, r.err).toBe(0);
    const streamed = r.result as StreamRun;
    const whole = (await cli("predict", WAV, "--model", model)).result as PredictResult;
    expect(streamed.frames.map((f) => f.phone)).toEqual([...whole.phones]);
    expect(streamed.frames.every((f) => f.latencyMs >= 0)).toBe(true);
    expect(r.out).toMatch(/163 frames; compute latency per frame: mean/);
    expect(r.out.split("\n").filter((l) => /^\s+\d+\s+\d+\.\d\d\s+\w+\s+\d+\.\d{3}$/.test(l))).toHaveLength(17);
  });

  test("stream refuses a bidirectional model with core's reason", async () => {
    const bi = join(dir, "bi.safetensors");
    expect((await cli("train", "--model", "blstm-sum", ...TINY, "--out", bi)).code).toBe(0);
    const r = await cli("stream", WAV, "--model", bi);
    expect(r.code).toBe(1);
    expect(r.stderr).toHaveLength(1);
    expect(r.err).toMatch(/^error: .*"blstm" \(rnn\) is bidirectional/);
  }, 60_000);

  test("export writes ONNX that onnxruntime runs with backend-js's numbers, states as inputs, self-described", async () => {
    const out = join(dir, "tiny.onnx");
    const r = await cli("export", model, out);
    expect(r.code, r.err).toBe(0);
    expect((await stat(out)).size).toBeGreaterThan(100_000);
    expect(r.out).toMatch(/max \|difference\| \d\.\d\de-\d+, arg-max differs on \d+ frames/);
    expect(r.out).toContain(
      "state inputs → outputs (feed each output back to stream): lstm/h_0 → lstm/h, lstm/c_0 → lstm/c",
    );
    // metadata_props values are stored as plain UTF-8 in the protobuf: the labels, recipe and CMVN are in the file.
    const text = new TextDecoder().decode(await readFile(out));
    expect(text).toContain(JSON.stringify(PHONE_CLASSES));
    expect(text).toContain('"sampleRate":16000');
    expect(text).toMatch(/"mean":\[(-?[\d.e-]+,){38}-?[\d.e-]+\],"std":\[/);
  }, 60_000);

  test("export refuses to overwrite its own input and checks the output before any work", async () => {
    const before = await readFile(model);
    const self = await cli("export", model, model);
    expect([self.code, self.err]).toEqual([
      1,
      `error: "${model}" is the input file; refusing to overwrite it, choose another path`,
    ]);
    expect((await readFile(model)).equals(before)).toBe(true);
    const folder = await cli("export", join(dir, "no-model.safetensors"), dir);
    expect([folder.code, folder.err]).toEqual([1, `error: "${dir}" is a directory; expected a file path`]);
    const missing = await cli("export", model, join(dir, "nope", "x.onnx"));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/cannot write ".*x\.onnx": folder ".*nope" does not exist$/);
  });

  test("train checks --out before training: a directory or an over-long name fails with the check's message", async () => {
    // Saving after training would fail too, but with the file system's EISDIR / ENAMETOOLONG, after the work.
    const folder = await cli("train", "--model", "lstm", "--steps", "1", "--out", dir);
    expect([folder.code, folder.err]).toEqual([1, `error: "${dir}" is a directory; expected a file path`]);
    const long = await cli(
      "train",
      "--model",
      "lstm",
      "--steps",
      "1",
      "--out",
      join(dir, `${"m".repeat(260)}.safetensors`),
    );
    expect(long.code).toBe(1);
    expect(long.err).toMatch(/the file name is 272 bytes, over 255$/);
    expect(folder.out + long.out).toBe("");
  });

  test("evaluate --backend onnx gives the accuracy of --backend js", async () => {
    const js = await cli("evaluate", model, "--utterances", "2");
    const ort = await cli("evaluate", model, "--utterances", "2", "--backend", "onnx");
    expect(ort.code, ort.err).toBe(0);
    expect((ort.result as { metric: number }).metric).toBeCloseTo((js.result as { metric: number }).metric, 3);
  }, 60_000);
});

describe("errors: one line, non-zero exit", () => {
  test.each([
    [["train", "--steps", "0"], 2, /--steps must be a positive integer, got "0"/],
    [["train", "--fraction", "1.5"], 2, /--fraction must be a number in \(0, 1\]/],
    [["train", "--model", "transformer", "--steps", "1"], 2, /unknown classify model "transformer"/],
    [["train", "--backend", "cuda"], 2, /--backend must be one of js, tfjs, got "cuda"/],
    [["train", "--task", "translate"], 2, /argument 'translate' is invalid/],
    [["demo", "--seeds", "1,x"], 2, /--seeds must be a positive integer, got "x"/],
    [["demo", "--models", "ffn,nope"], 2, /unknown classify model "nope"/],
    [["predict"], 2, /missing required argument 'wav'/],
    [["stream", "a.wav", "--bogus"], 2, /unknown option '--bogus'/],
    [["frobnicate"], 2, /too many arguments|unknown command/],
  ])("%j exits %i", async (argv, code, message) => {
    const r = await cli(...(argv as string[]));
    expect(r.code).toBe(code);
    expect(r.err).toMatch(message);
    expect(r.stderr.filter((l) => l.startsWith("error:"))).toHaveLength(1);
  });

  test("a missing WAV, a file that is not a WAV, a missing model and a file that is not a model", async () => {
    const notWav = join(dir, "notes.wav");
    await writeFile(notWav, "hello, not audio");
    const missing = await cli("predict", join(dir, "nope.wav"));
    expect([missing.code, missing.err]).toEqual([1, `error: ${join(dir, "nope.wav")}: cannot read WAV: no such file`]);
    const bad = await cli("predict", notWav);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^error: .*notes\.wav: cannot read WAV: .*RIFF/);
    const noModel = await cli("predict", WAV, "--model", join(dir, "none.safetensors"));
    expect(noModel.err).toMatch(/none\.safetensors: no such model file/);
    const notModel = await cli("evaluate", notWav);
    expect(notModel.code).toBe(1);
    expect(notModel.err).toMatch(/notes\.wav: not a Recurrent model file/);
  });

  test("onnx cannot train; tfjs either predicts like js or says in one line why it cannot", async () => {
    const onnx = await cli("train", "--backend", "onnx", ...TINY);
    expect(onnx.code).toBe(2); // not among train's choices
    expect(onnx.err).toMatch(/--backend must be one of js, tfjs, got "onnx"/);
    const js = await cli("predict", WAV);
    const tfjs = await cli("predict", WAV, "--backend", "tfjs");
    if (tfjs.code === 0) {
      // Same weights, float32 on another engine: the arg-max may flip only on near-ties.
      const a = (js.result as PredictResult).phones;
      const b = (tfjs.result as PredictResult).phones;
      expect(a.filter((p, t) => p !== b[t]).length).toBeLessThanOrEqual(2);
    } else {
      expect(tfjs.code).toBe(1);
      expect(tfjs.err).toMatch(/^error: backend "tfjs" (is not usable|failed to start|cannot)/);
      expect(tfjs.stderr.filter((l) => l.startsWith("error:"))).toHaveLength(1);
    }
  }, 90_000);
});

describe("demo", () => {
  test("a tiny demo runs end to end: tables, streaming, ONNX check, report", async () => {
    const out = join(dir, "demo");
    const r = await cli(
      "demo",
      ...TINY,
      "--fractions",
      "0.5,1",
      "--models",
      "ffn,lstm,blstm-sum",
      "--curve-models",
      "ffn,lstm",
      "--next-frame-models",
      "lstm",
      "--out",
      out,
    );
    expect(r.code, r.err).toBe(0);
    const result = r.result as DemoResult;
    expect(result.records.map((x) => `${x.task}/${x.model}/${x.fraction}`)).toEqual([
      "classify/ffn/1",
      "classify/lstm/1",
      "classify/blstm-sum/1",
      "classify/ffn/0.5",
      "classify/lstm/0.5",
      "next-frame/lstm/1",
    ]);
    expect(r.out).toMatch(/windowed FFN \(41×39\)\s+28376\s+no/);
    expect(r.out).toMatch(/the bidirectional model refuses to stream/);
    expect(r.out).toMatch(/ONNX: .* onnxruntime vs backend-js on \d+ frames/);
    expect(r.out).toContain(`report: ${join(out, "report.html")}`);
    const html = await readFile(join(out, "report.html"), "utf8");
    for (const chart of ["accuracy", "data-fraction", "loss-classify", "mfcc", "phones", "confusion", "trajectory-0"]) {
      expect(html).toContain(`data-chart="${chart}"`);
    }
    expect((await stat(join(out, "best.onnx"))).size).toBeGreaterThan(0);
    // The report is shared as a file: no absolute path of this machine in it (issue #15).
    expect(html).not.toContain(dir);
    expect(html).not.toContain(AUDIO);
    expect(html).toContain("<code>confbridge-unmuted.wav</code>");
    expect(html).toContain("<code>best.onnx</code>");
    // No chart title is wider than its SVG (the first chart's title was clipped).
    for (const m of html.matchAll(/<svg class="chart"[^>]* width="(\d+)"[^>]*><title>([^<]*)<\/title>/g)) {
      expect(Number(m[1]), m[2]).toBeGreaterThanOrEqual(56 + 7 * m[2]!.replaceAll("&amp;", "&").length);
    }
  }, 120_000);
});
