// docs/writing-a-backend.md shows the template backend verbatim; this keeps the page and the code one thing, and
// runs the template through the conformance suite (every case it supports; the rest skip with its reason).
import { readFileSync } from "node:fs";
import { assertValid, dense, sequential, vectorInput } from "@recurrent/core";
import { expect, test } from "vitest";
import { describeConformance } from "./describe-conformance.js";
import { denseBackend } from "./template/dense-backend.js";

const page = readFileSync(new URL("../../../docs/writing-a-backend.md", import.meta.url), "utf8");
const source = readFileSync(new URL("./template/dense-backend.ts", import.meta.url), "utf8");

test("the page shows the template backend exactly as it is compiled and tested", () => {
  const block = /```ts template\n([\s\S]*?)```/.exec(page);
  expect(block, "a ```ts template block in docs/writing-a-backend.md").not.toBeNull();
  expect(block![1]).toBe(source);
});

describeConformance(denseBackend);

test("the template trains through core's Trainer: one SGD step matches the closed form", async () => {
  // dense 1→1, weight w = 0.5, bias b = 0.25, x = 1, target 0: loss (w + b)² = 0.5625; d loss/d w = d loss/d b =
  // 2(w + b) = 1.5; SGD with lr 0.1 gives w = 0.35, b = 0.1.
  const model = assertValid(sequential("t", [vectorInput("x", 1), dense("out", { units: 1 })]));
  const weights = {
    "out/weight": { shape: [1, 1], data: Float32Array.of(0.5) },
    "out/bias": { shape: [1], data: Float32Array.of(0.25) },
  };
  const trainer = await denseBackend().trainer(model, weights, { loss: "mse", optimizer: { kind: "sgd", lr: 0.1 } });
  const batch = {
    inputs: { x: { shape: [1, 1], data: Float32Array.of(1) } },
    target: { shape: [1, 1], data: Float32Array.of(0) },
  };
  const { loss, gradNorm } = await trainer.step(batch);
  expect(loss).toBeCloseTo(0.5625, 6);
  expect(gradNorm).toBeCloseTo(Math.hypot(1.5, 1.5), 6);
  const after = trainer.weights();
  expect(after["out/weight"]!.data[0]).toBeCloseTo(0.35, 6);
  expect(after["out/bias"]!.data[0]).toBeCloseTo(0.1, 6);
  expect(trainer.state()).toEqual({ step: 1, slots: {} });
  await trainer.dispose();
});
