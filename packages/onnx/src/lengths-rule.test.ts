/**
 * The one lengths rule in exported files: a model declared without lengths (`input(id, D, { lengths: false })`)
 * exports an ONNX file with no lengths input (its recurrent nodes get no `sequence_lens`), which plain
 * onnxruntime-node runs on the input alone; a model that declares lengths exports a file that requires them.
 * The reference numbers come from backend-js, an independent implementation (its own kernels).
 */
import { jsBackend } from "@recurrent/backend-js";
import { assertValid, dense, fullLengths, initWeights, input, lstm, sequential, type Tensor } from "@recurrent/core";
import { InferenceSession, Tensor as OrtTensor } from "onnxruntime-node";
import { describe, expect, test } from "vitest";
import { exportOnnx } from "./export/index.js";

const [T, B, D, H] = [6, 3, 4, 5];
const layers = [lstm("l", { units: H }), dense("out", { units: 2 })];
const free = assertValid(sequential("free", [input("x", D, { lengths: false }), ...layers]));
const declared = assertValid(sequential("declared", [input("x", D), ...layers]));
const weights = initWeights(free, { seed: 5 });
const x: Tensor = { shape: [T, B, D], data: Float32Array.from({ length: T * B * D }, (_, i) => Math.sin(0.61 * i)) };
const zeros = () => new OrtTensor("float32", new Float32Array(B * H), [1, B, H]);

async function session(bytes: Uint8Array): Promise<InferenceSession> {
  return InferenceSession.create(bytes, { logSeverityLevel: 3 });
}

describe("lengths in exported files", () => {
  test("a model declared without lengths exports no lengths input, and onnxruntime runs it on the input alone", async () => {
    const s = await session(exportOnnx(free, weights));
    try {
      expect([...s.inputNames].sort()).toEqual(["l/c_0", "l/h_0", "x"]);
      const out = await s.run({ x: new OrtTensor("float32", x.data, x.shape), "l/h_0": zeros(), "l/c_0": zeros() });
      const exe = await jsBackend().compile(free, weights);
      const reference = (await exe.run({ x })).out!;
      await exe.dispose();
      const got = out.out!.data as Float32Array;
      expect(out.out!.dims).toEqual(reference.shape);
      const worst = got.reduce((m, v, i) => Math.max(m, Math.abs(v - reference.data[i]!)), 0);
      expect(worst).toBeLessThan(1e-5);
    } finally {
      await s.release();
    }
  });

  test("a model that declares lengths exports a file that requires them, as every backend does", async () => {
    const s = await session(exportOnnx(declared, weights));
    try {
      expect([...s.inputNames].sort()).toEqual(["l/c_0", "l/h_0", "lengths", "x"]);
      const feeds = { x: new OrtTensor("float32", x.data, x.shape), "l/h_0": zeros(), "l/c_0": zeros() };
      await expect(s.run(feeds)).rejects.toThrow(/lengths/);
      const lengths = new OrtTensor("int32", fullLengths(x), [B]);
      const withLengths = await s.run({ ...feeds, lengths });
      const withoutDeclared = await session(exportOnnx(free, weights));
      const same = await withoutDeclared.run(feeds);
      await withoutDeclared.release();
      const a = withLengths.out!.data as Float32Array;
      const b = same.out!.data as Float32Array;
      expect(a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0)).toBeLessThan(1e-6);
    } finally {
      await s.release();
    }
  });
});
