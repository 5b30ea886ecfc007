import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { conv1d, dense, input, lastStep, rnn, sequential } from "../ir/builders.js";
import { IrError } from "../ir/errors.js";
import { graphToJSON } from "../ir/json.js";
import { GRAPH_FORMAT } from "../ir/nodes.js";
import { assertValid } from "../ir/validate.js";
import { tensor } from "../tensor/tensor.js";
import { initWeights } from "../weights/init.js";
import type { Weights } from "../weights/weights.js";
import { deserializeModel, FORMAT_KEY, GRAPH_KEY, ModelFileError, serializeModel } from "./model-file.js";
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from "./safetensors.js";

const graph = sequential("tagger", [
  input("mfcc", 6),
  conv1d("conv", { filters: 5, kernelSize: 3, padding: "causal", activation: "relu" }),
  rnn("blstm", { cell: "lstm", units: 4, direction: "bidirectional", merge: "concat" }),
  rnn("gru", { cell: "gru", units: 3, returnSequences: true }),
  lastStep("last"),
  dense("out", { units: 2, activation: "softmax" }),
]);
const model = assertValid(graph);
const weights = initWeights(model, { seed: 7 });

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected an error, nothing was thrown");
}

/** Re-encodes a model file with some tensors or metadata changed. */
function tamper(
  bytes: Uint8Array,
  change: (tensors: Record<string, ReturnType<typeof tensor>>, metadata: Record<string, string>) => void,
): Uint8Array {
  const { tensors, metadata } = decodeSafetensors(bytes);
  change(tensors, metadata);
  return encodeSafetensors(tensors, metadata);
}

describe("serializeModel / deserializeModel", () => {
  const bytes = serializeModel(graph, weights, { metadata: { corpus: "timit", epochs: "10" } });

  test("the file is plain safetensors: weights by nodeId/param, the versioned graph JSON in the metadata", () => {
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(Object.keys(tensors).sort()).toEqual(Object.keys(weights).sort());
    expect(Object.keys(tensors)).toContain("blstm/weight_hh_reverse");
    expect(metadata[FORMAT_KEY]).toBe(GRAPH_FORMAT);
    expect(metadata[FORMAT_KEY]).toBe("recurrent.graph/1");
    expect(JSON.parse(metadata[GRAPH_KEY]!)).toEqual(JSON.parse(graphToJSON(graph)));
    expect(metadata.corpus).toBe("timit");
  });

  test("round-trips the graph, every weight bit for bit, and the user metadata", () => {
    const loaded = deserializeModel(bytes);
    expect(graphToJSON(loaded.model)).toBe(graphToJSON(model));
    expect(loaded.model.info.params.get("blstm")?.length).toBe(8);
    expect(Object.keys(loaded.weights).sort()).toEqual(Object.keys(weights).sort());
    for (const [key, t] of Object.entries(weights)) {
      expect(loaded.weights[key]!.shape, key).toEqual(t.shape);
      expect(loaded.weights[key]!.data, key).toEqual(t.data);
    }
    expect(loaded.metadata).toEqual({ corpus: "timit", epochs: "10" });
  });

  test("loading never initializes: weights come from the file even when they look nothing like an init", () => {
    const constant: Weights = Object.fromEntries(
      Object.entries(weights).map(([k, t]) => [
        k,
        { shape: t.shape, data: new Float32Array(t.data.length).fill(0.125) },
      ]),
    );
    const loaded = deserializeModel(serializeModel(graph, constant));
    for (const t of Object.values(loaded.weights)) expect(new Set(t.data)).toEqual(new Set([0.125]));
  });

  test("a file missing a weight is refused (WEIGHT_MISSING), not filled in", () => {
    const e = thrown(() => deserializeModel(tamper(bytes, (t) => delete t["gru/bias_hh"])));
    expect(e).toBeInstanceOf(IrError);
    expect((e as IrError).issues.map((i) => i.code)).toEqual(["WEIGHT_MISSING"]);
    expect((e as IrError).message).toMatch(/gru\/bias_hh/);
  });

  test("weight shapes are checked against the graph (WEIGHT_SHAPE), extra weights refused", () => {
    const e = thrown(() =>
      deserializeModel(
        tamper(bytes, (t) => {
          t["out/weight"] = tensor([3, 3]);
          t["ghost/weight"] = tensor([1]);
        }),
      ),
    );
    expect(e).toBeInstanceOf(IrError);
    expect((e as IrError).issues.map((i) => i.code).sort()).toEqual(["WEIGHT_SHAPE", "WEIGHT_UNEXPECTED"]);
  });

  test("a plain safetensors file without a graph is NOT_A_MODEL with a hint", () => {
    const torchFile = new Uint8Array(
      readFileSync(new URL("../../test-fixtures/torch-lstm.safetensors", import.meta.url)),
    );
    const e = thrown(() => deserializeModel(torchFile));
    expect(e).toBeInstanceOf(ModelFileError);
    expect((e as ModelFileError).code).toBe("NOT_A_MODEL");
    expect((e as ModelFileError).message).toMatch(
      /no "recurrent.graph" metadata \(found keys format\).*fromTorchStateDict/,
    );
  });

  test("another format version is FORMAT_VERSION naming both versions", () => {
    const e = thrown(() => deserializeModel(tamper(bytes, (_, m) => void (m[FORMAT_KEY] = "recurrent.graph/2"))));
    expect((e as ModelFileError).code).toBe("FORMAT_VERSION");
    expect((e as ModelFileError).message).toMatch(/"recurrent.graph\/2", expected "recurrent.graph\/1"/);
    const missing = thrown(() => deserializeModel(tamper(bytes, (_, m) => delete m[FORMAT_KEY])));
    expect((missing as ModelFileError).code).toBe("FORMAT_VERSION");
    expect((missing as ModelFileError).message).toMatch(/is missing/);
  });

  test("an invalid graph JSON is an IrError", () => {
    const e = thrown(() => deserializeModel(tamper(bytes, (_, m) => void (m[GRAPH_KEY] = "{not json"))));
    expect(e).toBeInstanceOf(IrError);
    const badUnits = thrown(() =>
      deserializeModel(
        tamper(bytes, (_, m) => void (m[GRAPH_KEY] = m[GRAPH_KEY]!.replace('"units": 2', '"units": -2'))),
      ),
    );
    expect(badUnits).toBeInstanceOf(IrError);
  });

  test("a corrupt buffer is a SafetensorsError", () => {
    expect(thrown(() => deserializeModel(bytes.subarray(0, bytes.length - 1)))).toBeInstanceOf(SafetensorsError);
  });

  test("serializeModel validates first: wrong weights never reach a file", () => {
    const { "out/bias": _, ...missing } = weights;
    expect(() => serializeModel(graph, missing)).toThrow(IrError);
  });

  test("user metadata may not use the reserved prefix or non-strings", () => {
    const reserved = thrown(() => serializeModel(graph, weights, { metadata: { "recurrent.graph": "x" } }));
    expect((reserved as ModelFileError).code).toBe("BAD_METADATA");
    expect((reserved as ModelFileError).message).toMatch(/reserved prefix/);
    const number = thrown(() => serializeModel(graph, weights, { metadata: { n: 1 as unknown as string } }));
    expect((number as ModelFileError).code).toBe("BAD_METADATA");
  });
});
