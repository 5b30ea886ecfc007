/**
 * A plain Node ESM project outside the workspace installs core, backend-js, onnx, speech and silero from their
 * tarballs with npm (offline: nothing else may be needed), and runs a user's first script: build, train 5 steps,
 * save, load, stream, export ONNX; and a Silero script: one chunk on backend-js, export with the original contract.
 * The exported files are then run in onnxruntime-node, an implementation independent of ours.
 */
import { readFileSync } from "node:fs";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { runCommand } from "./exec.js";
import { type ConsumerProject, createProject } from "./project.js";

interface Report {
  readonly losses: number[];
  readonly weightKeys: string[];
  readonly loadedKeys: string[];
  readonly weightMaxDiff: number;
  readonly streamMaxDiff: number;
  readonly input: { shape: number[]; data: number[] };
  readonly whole: { shape: number[]; data: number[] };
  readonly onnxFile: string;
  readonly onnxBytes: number;
  readonly mfccShape: number[];
}

/** What `fixtures/node-esm/silero.mjs` prints. */
interface SileroReport {
  /** The 576 samples of the first call: 64 zeros of context, then the 512-sample chunk. */
  readonly window: number[];
  readonly probability: number;
  readonly state: { shape: number[]; data: number[] };
  readonly onnxFile: string;
  readonly onnxBytes: number;
}

let project: ConsumerProject;
let report: Report;
let silero: SileroReport;

const lastLine = (stdout: string): unknown => JSON.parse(stdout.trim().split("\n").at(-1)!);

beforeAll(async () => {
  project = await createProject({
    fixture: "node-esm",
    packed: inject("packed"),
    install: ["@recurrent/core", "@recurrent/backend-js", "@recurrent/onnx", "@recurrent/speech", "@recurrent/silero"],
  });
  report = lastLine((await runCommand("node", ["index.mjs"], { cwd: project.dir })).stdout) as Report;
  silero = lastLine((await runCommand("node", ["silero.mjs"], { cwd: project.dir })).stdout) as SileroReport;
});

afterAll(() => project?.dispose());

test("trains 5 steps: every loss finite, and the loss moves down", () => {
  expect(report.losses).toHaveLength(5);
  for (const loss of report.losses) expect(Number.isFinite(loss)).toBe(true);
  expect(report.losses.at(-1)!).toBeLessThan(report.losses[0]!);
});

test("the saved file loads back with every weight equal", () => {
  // lstm (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0) + dense (weight, bias): PyTorch's parameter names.
  expect(report.weightKeys).toHaveLength(6);
  expect(report.loadedKeys).toEqual(report.weightKeys);
  expect(report.weightMaxDiff).toBe(0);
});

test("streaming frame by frame equals the whole-sequence run within 1e-5", () => {
  expect(report.whole.shape).toEqual([24, 3, 1]);
  expect(report.streamMaxDiff).toBeLessThan(1e-5);
});

test("the exported ONNX file runs in onnxruntime-node with the numbers of backend-js (1e-5)", async () => {
  // A serialized ModelProto opens with field 1 (ir_version, varint): tag byte 0x08.
  const bytes = readFileSync(report.onnxFile);
  expect(bytes.length).toBe(report.onnxBytes);
  expect(bytes[0]).toBe(0x08);
  const session = await ort.InferenceSession.create(bytes);
  const [T, B] = report.input.shape as [number, number, number];
  const feeds: Record<string, ort.Tensor> = {};
  for (const name of session.inputNames) {
    if (name === "signal") feeds[name] = new ort.Tensor("float32", Float32Array.from(report.input.data), [T, B, 1]);
    else if (name === "lengths")
      feeds[name] = new ort.Tensor(
        "int32",
        Int32Array.from({ length: B }, () => T),
        [B],
      );
    // A fresh start: every initial state of the 8-unit forward LSTM is zeros [directions=1, B, 8].
    else if (/\/[hc]_0$/.test(name)) feeds[name] = new ort.Tensor("float32", new Float32Array(B * 8), [1, B, 8]);
    else throw new Error(`unexpected graph input ${name}; inputs: ${session.inputNames.join(", ")}`);
  }
  expect(Object.keys(feeds)).toEqual(expect.arrayContaining(["signal", "lengths"]));
  const out = (await session.run(feeds)).next!;
  await session.release();
  expect(out.dims).toEqual(report.whole.shape);
  const got = out.data as Float32Array;
  const worst = report.whole.data.reduce((m, v, i) => Math.max(m, Math.abs(v - got[i]!)), 0);
  expect(worst).toBeLessThan(1e-5);
});

test("speech's main entry computes MFCC-39 in Node: T = 1 + ⌊(8000 − 400) / 160⌋ = 48 frames", () => {
  expect(report.mfccShape).toEqual([48, 39]);
});

test("silero: one chunk on backend-js equals its ONNX export with the original contract in onnxruntime-node (1e-5)", async () => {
  expect(readFileSync(silero.onnxFile).length).toBe(silero.onnxBytes);
  expect(silero.window).toHaveLength(576);
  // Away from the untrained 0.5 and from saturation, so the comparison below can see a wrong op.
  expect(Math.abs(silero.probability - 0.5)).toBeGreaterThan(0.01);
  expect(Math.abs(silero.probability - 0.5)).toBeLessThan(0.49);
  const session = await ort.InferenceSession.create(readFileSync(silero.onnxFile));
  expect(session.inputNames).toEqual(["input", "state", "sr"]);
  expect(session.outputNames).toEqual(["output", "stateN"]);
  // The official wrapper's first call: [1, 64 + 512] samples, zero state [2, 1, 128], sr an int64 scalar.
  const out = await session.run({
    input: new ort.Tensor("float32", Float32Array.from(silero.window), [1, 576]),
    state: new ort.Tensor("float32", new Float32Array(2 * 128), [2, 1, 128]),
    sr: new ort.Tensor("int64", BigInt64Array.of(16000n), []),
  });
  await session.release();
  expect(out.output!.dims).toEqual([1, 1]);
  const p = (out.output!.data as Float32Array)[0]!;
  console.log(`silero smoke: backend-js p = ${silero.probability}, onnxruntime p = ${p}`);
  expect(Math.abs(p - silero.probability)).toBeLessThan(1e-5);
  expect(out.stateN!.dims).toEqual(silero.state.shape);
  const stateN = out.stateN!.data as Float32Array;
  const worst = silero.state.data.reduce((m, v, i) => Math.max(m, Math.abs(v - stateN[i]!)), 0);
  expect(worst).toBeLessThan(1e-5);
});
