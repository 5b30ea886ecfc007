import { assertValid, dense, initWeights, input, lstm, sequential } from "@recurrent/core";
import { InferenceSession, Tensor as OrtTensor } from "onnxruntime-node";
import { describe, expect, test } from "vitest";
import { OnnxExportError } from "./errors.js";
import { exportOnnx, exportOnnxModel } from "./index.js";
import { irVersionFor } from "./options.js";

const model = assertValid(sequential("m", [input("x", 2), lstm("l", { units: 3 }), dense("out", { units: 1 })]));
const weights = initWeights(model, { seed: 1 });

const thrown = (fn: () => unknown): OnnxExportError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof OnnxExportError) return error;
    throw error;
  }
  throw new Error("expected an OnnxExportError");
};

describe("exportOnnx", () => {
  test("stamps the IR version of the opset (ModelProto field 1 comes first)", () => {
    expect([...exportOnnx(model, weights).subarray(0, 2)]).toEqual([0x08, 8]);
    expect([...exportOnnx(model, weights, { opset: 26 }).subarray(0, 2)]).toEqual([0x08, 13]);
    expect([17, 18, 19, 20, 21, 22, 23, 24, 25, 26].map(irVersionFor)).toEqual([8, 8, 9, 9, 10, 10, 11, 12, 13, 13]);
  });

  test.each([16, 27, 17.5])("refuses opset %d", (opset) => {
    const error = thrown(() => exportOnnx(model, weights, { opset }));
    expect(error.code).toBe("BAD_OPTIONS");
    expect(error.message).toMatch(new RegExp(`opset ${opset} .*17\\.\\.26`));
  });

  test("uses the native LSTM operator, never a loop", () => {
    const text = Buffer.from(exportOnnx(model, weights)).toString("latin1");
    expect(text).toContain("LSTM");
    expect(text).not.toMatch(/Loop|Scan/);
  });

  test("missing or misshaped weights are refused naming the node", () => {
    const { "l/bias_hh": _, ...missing } = weights;
    const a = thrown(() => exportOnnx(model, missing));
    expect([a.code, a.nodeId]).toEqual(["WEIGHTS", "l"]);
    expect(a.message).toMatch(/"l\/bias_hh" is missing, expected \[12\]/);
    const b = thrown(() =>
      exportOnnx(model, { ...weights, "out/weight": { shape: [3, 1], data: new Float32Array(3) } }),
    );
    expect(b.message).toMatch(/"out\/weight" is \[3, 1\].*expected \[1, 3\]/);
  });

  test("a node whose id would clash with a state input is refused", () => {
    const clash = assertValid(sequential("m", [input("x", 2), lstm("l", { units: 3 }), dense("l/h_0", { units: 1 })]));
    const error = thrown(() => exportOnnx(clash, initWeights(clash, { seed: 1 })));
    expect([error.code, error.nodeId]).toEqual(["NAME_CLASH", "l"]);
  });

  test("extra outputs must be values of the graph", () => {
    expect(thrown(() => exportOnnx(model, weights, { extraOutputs: ["nope"] })).code).toBe("BAD_OPTIONS");
    expect([...exportOnnxModel(model, weights, { extraOutputs: ["l"] }).outputs.keys()]).toEqual([
      "out",
      "l/h",
      "l/c",
      "l",
    ]);
  });

  test("describes its inputs: the sequence, its lengths, the initial states fed as <id>/h and <id>/c", () => {
    const { inputs } = exportOnnxModel(model, weights);
    expect(inputs.map((i) => [i.name, i.kind, i.feed, i.shape])).toEqual([
      ["x", "input", "x", ["time", "batch", 2]],
      ["lengths", "lengths", "lengths", ["batch"]],
      ["l/h_0", "state", "l/h", [1, "batch", 3]],
      ["l/c_0", "state", "l/c", [1, "batch", 3]],
    ]);
  });

  test("initial states are plain graph inputs: no initializer, listed and fed in onnxruntime-node", async () => {
    const session = await InferenceSession.create(exportOnnx(model, weights), { logSeverityLevel: 3 });
    expect(session.inputNames).toEqual(["x", "lengths", "l/h_0", "l/c_0"]);
    const x = new OrtTensor("float32", Float32Array.from([0.5, -1, 2, 1, 0.3, 0.1]), [3, 1, 2]);
    const lengths = new OrtTensor("int32", Int32Array.from([3]), [1]);
    const state = (v: number) => new OrtTensor("float32", new Float32Array(3).fill(v), [1, 1, 3]);
    const zero = await session.run({ x, lengths, "l/h_0": state(0), "l/c_0": state(0) });
    const fed = await session.run({ x, lengths, "l/h_0": state(0.5), "l/c_0": state(-0.5) });
    // A fed state changes the result (an initializer-backed input would be silently ignored here).
    expect([...(fed.out!.data as Float32Array)]).not.toEqual([...(zero.out!.data as Float32Array)]);
    expect(zero["l/h"]!.dims).toEqual([1, 1, 3]);
    await session.release();
  });

  test("the removed initialStates option is refused with a hint, not ignored", () => {
    const legacy = { initialStates: "optional" } as Parameters<typeof exportOnnx>[2];
    expect(() => exportOnnx(model, weights, legacy)).toThrow(/initialStates option was removed.*plain graph inputs/);
  });
});
