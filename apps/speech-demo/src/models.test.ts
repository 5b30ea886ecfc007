import { jsBackend } from "@recurrent/backend-js";
import { createRng, initWeights, stream } from "@recurrent/core";
import { describe, expect, test } from "vitest";
import {
  buildModel,
  CLASSIFY_MODELS,
  findModel,
  INPUT,
  isBidirectional,
  NEXT_FRAME_MODELS,
  OUTPUT,
  paramCount,
} from "./models.js";

// Closed-form parameter counts (PyTorch layouts: rnn 4 tensors per direction, G gate blocks).
const rnnP = (G: number, D: number, H: number, dirs = 1) => dirs * G * H * (D + H + 2);
const denseP = (I: number, O: number) => I * O + O;
const expected: Record<string, number> = {
  ffn: denseP(41 * 39, 16) + denseP(16, 48) + denseP(48, 40),
  rnn: rnnP(1, 39, 128) + denseP(128, 40),
  lstm: rnnP(4, 39, 64) + denseP(64, 40),
  gru: rnnP(3, 39, 72) + denseP(72, 40),
  "blstm-sum": rnnP(4, 39, 42, 2) + denseP(42, 40),
  "blstm-concat": rnnP(4, 39, 40, 2) + denseP(80, 40),
  deep: denseP(39, 48) + rnnP(4, 48, 36, 2) + denseP(36, 40),
  "conv-lstm": 32 * 39 * 5 + 32 + rnnP(4, 32, 52) + denseP(52, 40),
};
const expectedNext: Record<string, number> = {
  ffn: denseP(41 * 13, 16) + denseP(16, 13),
  rnn: rnnP(1, 13, 80) + denseP(80, 13),
  lstm: rnnP(4, 13, 40) + denseP(40, 13),
  gru: rnnP(3, 13, 46) + denseP(46, 13),
  "conv-lstm": 24 * 13 * 5 + 24 + rnnP(4, 24, 32) + denseP(32, 13),
};

describe("model zoo", () => {
  test.each(CLASSIFY_MODELS.map((m) => m.id))("classify %s has the closed-form parameter count", (id) => {
    expect(paramCount(buildModel(findModel("classify", id), 39, 40))).toBe(expected[id]);
  });

  test.each(NEXT_FRAME_MODELS.map((m) => m.id))("next-frame %s has the closed-form parameter count", (id) => {
    expect(paramCount(buildModel(findModel("next-frame", id), 13, 13))).toBe(expectedNext[id]);
  });

  test("budgets are comparable within each task (largest / smallest < 1.25)", () => {
    for (const counts of [Object.values(expected), Object.values(expectedNext)]) {
      expect(Math.max(...counts) / Math.min(...counts)).toBeLessThan(1.25);
    }
  });

  test.each([
    ...CLASSIFY_MODELS.map((m) => ["classify", m.id, m] as const),
    ...NEXT_FRAME_MODELS.map((m) => ["next-frame", m.id, m] as const),
  ])("%s %s: `streamable` agrees with core's stream()", async (task, _id, spec) => {
    const D = task === "classify" ? 39 : 13;
    const model = buildModel(spec, D, task === "classify" ? 40 : D);
    const exe = await jsBackend().compile(model, initWeights(model, { seed: 1 }));
    const streams = (() => {
      try {
        stream(exe);
        return true;
      } catch {
        return false;
      }
    })();
    expect(streams).toBe(spec.streamable);
    expect(isBidirectional(model)).toBe(spec.id.includes("blstm") || spec.id === "deep");
  });

  test("an unknown id is a usage error naming the choices", () => {
    expect(() => findModel("classify", "transformer")).toThrowError(
      /unknown classify model "transformer"; choose one of ffn, rnn/,
    );
  });
});

/** Output frames 0..t of `model` when the input after frame t is replaced by noise: equal to the originals? */
async function futureChangesPast(task: "classify" | "next-frame", id: string): Promise<boolean> {
  const D = task === "classify" ? 39 : 13;
  const O = task === "classify" ? 40 : 13;
  const model = buildModel(findModel(task, id), D, O);
  const exe = await jsBackend().compile(model, initWeights(model, { seed: 3 }));
  const T = 30;
  const rng = createRng(5);
  const x = Float32Array.from({ length: T * D }, () => rng.next() * 2 - 1);
  const lengths = Int32Array.of(T);
  const base = (await exe.run({ [INPUT]: { shape: [T, 1, D], data: x }, lengths }))[OUTPUT]!;
  let changed = false;
  for (const t of [0, 7, 15, 28]) {
    const y = x.slice();
    for (let i = (t + 1) * D; i < y.length; i++) y[i] = rng.next() * 4 - 2;
    const out = (await exe.run({ [INPUT]: { shape: [T, 1, D], data: y }, lengths }))[OUTPUT]!;
    for (let i = 0; i < (t + 1) * O; i++) if (out.data[i] !== base.data[i]) changed = true;
  }
  await exe.dispose();
  return changed;
}

describe("next-frame models are causal", () => {
  test.each(NEXT_FRAME_MODELS.map((m) => m.id))("%s: outputs up to t do not depend on inputs after t", async (id) => {
    expect(await futureChangesPast("next-frame", id)).toBe(false);
  });

  test("the check detects look-ahead: the 41-frame classification window and the BiLSTM fail it", async () => {
    expect(await futureChangesPast("classify", "ffn")).toBe(true);
    expect(await futureChangesPast("classify", "blstm-sum")).toBe(true);
  });
});
