/**
 * `openOnnx`: an already-written file run as an Executable. The reference is onnxruntime-node's own session on
 * the same bytes, fed by hand.
 */
import { assertValid, BackendError, dense, initWeights, input, lstm, sequential } from "@recurrent/core";
import { InferenceSession, Tensor as OrtTensor } from "onnxruntime-node";
import { describe, expect, test } from "vitest";
import { exportOnnx } from "./export/index.js";
import { openOnnx } from "./open.js";

const model = assertValid(sequential("m", [input("x", 2), lstm("l", { units: 3 }), dense("out", { units: 2 })]));
const bytes = exportOnnx(model, initWeights(model, { seed: 2 }));
const x = Float32Array.from([0.5, -1, 2, 1, 0.3, 0.1, -0.7, 0.2]); // [T=2, B=2, D=2]
const h = Float32Array.from([0.1, -0.2, 0.3, 0.4, 0.5, -0.6]); // [1, 2, 3]

describe("openOnnx", () => {
  test("runs the given bytes with every backend's feeds (states fed as <id>/h, <id>/c; absent: zeros)", async () => {
    const exe = await openOnnx(model, bytes);
    const session = await InferenceSession.create(bytes, { logSeverityLevel: 3 });
    try {
      const lengths = Int32Array.from([2, 1]);
      const got = await exe.run(
        { x: { shape: [2, 2, 2], data: x }, lengths, "l/h": { shape: [1, 2, 3], data: h } },
        { fetch: ["out", "l/c"] },
      );
      const want = await session.run({
        x: new OrtTensor("float32", x, [2, 2, 2]),
        lengths: new OrtTensor("int32", lengths, [2]),
        "l/h_0": new OrtTensor("float32", h, [1, 2, 3]),
        "l/c_0": new OrtTensor("float32", new Float32Array(6), [1, 2, 3]),
      });
      expect(got.out).toEqual({ shape: [2, 2, 2], data: want.out!.data });
      expect(got["l/c"]).toEqual({ shape: [1, 2, 3], data: want["l/c"]!.data });
    } finally {
      await Promise.all([exe.dispose(), session.release()]);
    }
  });

  test("refuses a file of another model and a fetch the file does not return", async () => {
    const other = assertValid(sequential("o", [input("y", 2), dense("out", { units: 2 })]));
    await expect(openOnnx(other, bytes)).rejects.toThrow(
      /the ONNX file does not belong to model "o": it has inputs \[x, lengths, l\/h_0, l\/c_0\].*needs inputs \[y, lengths\]/,
    );
    const exe = await openOnnx(model, bytes);
    const run = exe.run(
      { x: { shape: [1, 1, 2], data: x.subarray(0, 2) }, lengths: Int32Array.of(1) },
      { fetch: ["l"] },
    );
    await expect(run).rejects.toThrow(BackendError);
    await expect(run).rejects.toThrow(/fetch "l" is not an output of the ONNX file; it returns out, l\/h, l\/c/);
    await exe.dispose();
  });
});
