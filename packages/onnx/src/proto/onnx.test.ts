// The public message API (`ModelProto` objects + `encodeOnnxModel`): a graph built by hand runs in onnxruntime
// with the numbers worked out below in plain arithmetic, and `exportOnnxProto` is what `exportOnnxModel` encodes.
import { assertValid, dense, initWeights, input, lstm, sequential } from "@recurrent/core";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { encodeOnnxModel, exportOnnxModel, exportOnnxProto, type ModelProto, OnnxDataType } from "../index.js";

/** y = transpose(x) + b (x [2, 3], b [3, 1]); k = float(int64 scalar 7) · 0.5 via Cast and Mul. */
const handBuilt: ModelProto = {
  irVersion: 8,
  opsetVersion: 17,
  producerName: "test",
  producerVersion: "0",
  graph: {
    name: "hand",
    nodes: [
      {
        name: "t",
        opType: "Transpose",
        inputs: ["x"],
        outputs: ["xt"],
        attributes: [{ name: "perm", type: "ints", value: [1, 0] }],
      },
      { name: "add", opType: "Add", inputs: ["xt", "b"], outputs: ["y"], attributes: [] },
      {
        name: "cast",
        opType: "Cast",
        inputs: ["seven"],
        outputs: ["seven_f"],
        attributes: [{ name: "to", type: "int", value: OnnxDataType.FLOAT }],
      },
      { name: "half", opType: "Mul", inputs: ["seven_f", "half_c"], outputs: ["k"], attributes: [] },
    ],
    initializers: [
      { name: "b", dims: [3, 1], data: Float32Array.of(10, 20, 30) },
      { name: "seven", dims: [], data: BigInt64Array.of(7n) },
      { name: "half_c", dims: [], data: Float32Array.of(0.5) },
    ],
    inputs: [{ name: "x", elemType: OnnxDataType.FLOAT, shape: [2, "n"] }],
    outputs: [
      { name: "y", elemType: OnnxDataType.FLOAT, shape: ["n", 2] },
      { name: "k", elemType: OnnxDataType.FLOAT, shape: [] },
    ],
  },
  metadataProps: [{ key: "note", value: "hand-built" }],
};

describe("encodeOnnxModel", () => {
  it("writes a hand-built graph that onnxruntime runs: attributes, int64 scalars, symbolic dims, metadata", async () => {
    const session = await ort.InferenceSession.create(encodeOnnxModel(handBuilt));
    const x = new ort.Tensor("float32", Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3]);
    const out = await session.run({ x });
    // transpose([[1,2,3],[4,5,6]]) = [[1,4],[2,5],[3,6]]; + [10, 20, 30] down the rows.
    expect(out.y!.dims).toEqual([3, 2]);
    expect([...(out.y!.data as Float32Array)]).toEqual([11, 14, 22, 25, 33, 36]);
    expect([...(out.k!.data as Float32Array)]).toEqual([3.5]);
    expect(session.inputNames).toEqual(["x"]);
    await session.release();
  });

  it("refuses an initializer whose dims do not hold its data, naming it and both counts", () => {
    const bad: ModelProto = {
      ...handBuilt,
      graph: { ...handBuilt.graph, initializers: [{ name: "b", dims: [2, 2], data: new Float32Array(3) }] },
    };
    expect(() => encodeOnnxModel(bad)).toThrow(
      new RangeError('ONNX initializer "b": dims [2, 2] hold 4 values, but its data has 3'),
    );
  });
});

describe("exportOnnxProto", () => {
  it("is the message exportOnnxModel encodes, with the same signature", () => {
    const model = assertValid(sequential("m", [input("x", 3), lstm("rnn", { units: 4 }), dense("out", { units: 2 })]));
    const weights = initWeights(model, { seed: 3 });
    const { proto, ...signature } = exportOnnxProto(model, weights, { opset: 18 });
    const { bytes, ...expected } = exportOnnxModel(model, weights, { opset: 18 });
    expect(encodeOnnxModel(proto)).toEqual(bytes);
    expect(signature).toEqual(expected);
    expect(proto.opsetVersion).toBe(18);
    expect(proto.graph.inputs.map((i) => i.name)).toEqual(["x", "lengths", "rnn/h_0", "rnn/c_0"]);
  });
});
