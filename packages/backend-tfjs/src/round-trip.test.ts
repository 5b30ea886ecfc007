import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jsBackend } from "@recurrent/backend-js";
import {
  assertValid,
  type Backend,
  dense,
  frameStack,
  initWeights,
  input,
  lstm,
  type Outputs,
  sequential,
  type TrainBatch,
} from "@recurrent/core";
import { loadModel, saveModel } from "@recurrent/core/node";
import { afterAll, expect, test } from "vitest";
import { randomTensor } from "../test/helpers.js";
import { tfjsBackend } from "./index.js";

// A model trained on one backend, saved with core's saveModel and loaded on the other, gives the same outputs
// (float32 on both sides: 1e-5). backend-js is a devDependency for exactly this test.
const dir = mkdtempSync(join(tmpdir(), "recurrent-tfjs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const model = assertValid(
  sequential("phones", [
    input("mfcc", 3),
    frameStack("win", { left: 1, right: 1 }),
    lstm("blstm", { units: 5, direction: "bidirectional", merge: "sum" }),
    dense("out", { units: 4 }),
  ]),
);
const batch: TrainBatch = {
  inputs: { mfcc: randomTensor([7, 3, 3], 11), lengths: Int32Array.of(7, 4, 1) },
  target: { shape: [7, 3], data: Int32Array.from({ length: 21 }, (_, i) => (i * 7) % 4) },
};

async function outputs(backend: Backend, file: string): Promise<Outputs> {
  const loaded = await loadModel(file);
  const exe = await backend.compile(loaded.model, loaded.weights);
  try {
    return await exe.run(batch.inputs, { fetch: ["out", "blstm/h", "blstm/c"] });
  } finally {
    await exe.dispose();
  }
}

function expectSame(a: Outputs, b: Outputs): void {
  for (const name of ["out", "blstm/h", "blstm/c"]) {
    expect(a[name]!.shape).toEqual(b[name]!.shape);
    a[name]!.data.forEach((v, i) => {
      expect(Math.abs(v - b[name]!.data[i]!), `${name}[${i}]`).toBeLessThan(1e-5);
    });
  }
}

test.each([
  ["tfjs", "js"],
  ["js", "tfjs"],
] as const)("trained on %s, saved, loaded on %s: same outputs", async (from, to) => {
  const make = { tfjs: () => tfjsBackend({ backend: "cpu" }), js: jsBackend };
  const trainer = await make[from]().trainer(model, initWeights(model, { seed: 4 }), {
    loss: "softmaxCrossEntropy",
    optimizer: { kind: "adam", lr: 5e-2 },
  });
  const first = (await trainer.step(batch)).loss;
  for (let i = 0; i < 4; i++) await trainer.step(batch);
  expect((await trainer.evaluate(batch)).loss, "training moved the weights").toBeLessThan(first);
  const file = join(dir, `${from}.safetensors`);
  await saveModel(file, model, trainer.weights());
  await trainer.dispose();
  expectSame(await outputs(make[from](), file), await outputs(make[to](), file));
});

test("an optimizer state saved by the tfjs trainer resumes in backend-js (same slot names and layouts)", async () => {
  const config = { loss: "softmaxCrossEntropy", optimizer: { kind: "adam", lr: 1e-2 } } as const;
  const tfjs = await tfjsBackend({ backend: "cpu" }).trainer(model, initWeights(model, { seed: 4 }), config);
  for (let i = 0; i < 2; i++) await tfjs.step(batch);
  const js = await jsBackend().trainer(model, initWeights(model, { seed: 8 }), config);
  js.restore(tfjs.weights(), tfjs.state());
  await tfjs.step(batch);
  await js.step(batch);
  const a = tfjs.weights();
  const b = js.weights();
  for (const key of Object.keys(a)) {
    a[key]!.data.forEach((v, i) => {
      expect(Math.abs(v - b[key]!.data[i]!), `${key}[${i}]`).toBeLessThan(1e-5);
    });
  }
  await tfjs.dispose();
  await js.dispose();
});
