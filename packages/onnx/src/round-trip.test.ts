// A model trained a few steps in backend-js, saved, loaded and exported (through the API and through the
// `recurrent-onnx` command) gives onnxruntime outputs that match backend-js's on held-out inputs of unequal
// lengths with garbage in their padded steps. backend-js is an independent implementation (its own kernels).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jsBackend } from "@recurrent/backend-js";
import {
  assertValid,
  conv1d,
  createRng,
  dense,
  frameStack,
  initWeights,
  input,
  lstm,
  rnn,
  sequential,
  type Tensor,
} from "@recurrent/core";
import { loadModel, saveModel } from "@recurrent/core/node";
import { InferenceSession, Tensor as OrtTensor } from "onnxruntime-node";
import { afterAll, expect, test } from "vitest";
import { onnxBackend } from "./backend.js";
import { main } from "./cli.js";

const dir = mkdtempSync(join(tmpdir(), "recurrent-onnx-rt-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const D = 4;
const graph = sequential("round-trip", [
  input("x", D),
  frameStack("window", { left: 1 }),
  conv1d("conv", { filters: 5, kernelSize: 3, activation: "tanh" }),
  rnn("bigru", { cell: "gru", units: 4, direction: "bidirectional", merge: "concat" }),
  lstm("lstm", { units: 3 }),
  dense("out", { units: 2 }),
]);
const model = assertValid(graph);
const rng = createRng(7, "round-trip");
const uniform = (n: number) => Float32Array.from({ length: n }, () => rng.next() * 2 - 1);

/** A [T, B, D] batch with garbage (±5) in the padded steps. */
function batch(T: number, lengths: number[]): { x: Tensor; lengths: Int32Array } {
  const B = lengths.length;
  const data = uniform(T * B * D);
  for (let s = 0; s < T; s++) {
    for (let b = 0; b < B; b++)
      if (s >= lengths[b]!) data.fill(rng.next() < 0.5 ? 5 : -5, (s * B + b) * D, (s * B + b + 1) * D);
  }
  return { x: { shape: [T, B, D], data }, lengths: Int32Array.from(lengths) };
}

function maxValidDiff(a: Tensor, b: Tensor, lengths: Int32Array): number {
  const [T, B, O] = a.shape as [number, number, number];
  let worst = 0;
  for (let s = 0; s < T; s++) {
    for (let j = 0; j < B; j++) {
      if (s >= lengths[j]!) continue;
      for (let o = 0; o < O; o++) {
        const i = (s * B + j) * O + o;
        worst = Math.max(worst, Math.abs(a.data[i]! - b.data[i]!));
      }
    }
  }
  return worst;
}

test("trained in backend-js, saved, loaded, exported: onnxruntime matches backend-js", async () => {
  const initial = initWeights(model, { seed: 11 });
  const trainer = await jsBackend().trainer(model, initial, { loss: "mse", optimizer: { kind: "adam", lr: 0.05 } });
  const train = batch(6, [6, 4, 2]);
  const target: Tensor = { shape: [6, 3, 2], data: uniform(36) };
  for (let i = 0; i < 5; i++) await trainer.step({ inputs: { x: train.x, lengths: train.lengths }, target });
  const trained = trainer.weights();
  await trainer.dispose();
  expect(trained["lstm/weight_hh"]!.data).not.toEqual(initial["lstm/weight_hh"]!.data);

  const file = join(dir, "model.safetensors");
  await saveModel(file, graph, trained);
  const loaded = await loadModel(file);

  const heldOut = batch(9, [9, 3, 7, 1]);
  const js = await jsBackend().compile(model, trained);
  const reference = (await js.run(heldOut)).out!;
  const onnx = await onnxBackend().compile(loaded.model, loaded.weights);
  const viaBackend = (await onnx.run(heldOut)).out!;
  await Promise.all([js.dispose(), onnx.dispose()]);
  expect(viaBackend.shape).toEqual([9, 4, 2]);
  expect(maxValidDiff(viaBackend, reference, heldOut.lengths)).toBeLessThan(1e-5);

  const onnxFile = join(dir, "model.onnx");
  const lines: string[] = [];
  const code = await main(["export", file, onnxFile, "--opset", "21"], {
    out: (l) => lines.push(l),
    err: (l) => lines.push(l),
  });
  expect([code, lines.join("\n")]).toEqual([0, expect.stringMatching(/wrote .*model\.onnx .*opset 21, IR 10/)]);
  const session = await InferenceSession.create(readFileSync(onnxFile), { logSeverityLevel: 3 });
  // The initial states are plain inputs of the file: a fresh start feeds zeros, as any deployer does.
  const zeros = (units: number, dirs = 1) =>
    new OrtTensor("float32", new Float32Array(dirs * 4 * units), [dirs, 4, units]);
  const states = Object.fromEntries(
    session.inputNames
      .filter((name) => name.endsWith("_0"))
      .map((name) => {
        const meta = session.inputMetadata.find((m) => m.name === name)!;
        const [dirs, , units] = (meta.isTensor ? meta.shape : []) as number[];
        return [name, zeros(units!, dirs)];
      }),
  );
  expect(Object.keys(states)).toEqual(["bigru/h_0", "lstm/h_0", "lstm/c_0"]);
  const result = await session.run({
    x: new OrtTensor("float32", heldOut.x.data, heldOut.x.shape),
    lengths: new OrtTensor("int32", heldOut.lengths, [4]),
    ...states,
  });
  await session.release();
  const fromFile: Tensor = { shape: result.out!.dims.map(Number), data: result.out!.data as Float32Array };
  expect(maxValidDiff(fromFile, reference, heldOut.lengths)).toBeLessThan(1e-5);
});
