/**
 * The metadata the app writes into its ONNX files, exported for both tasks: what a deployer reads back (the
 * stored text, parsed) must be the app's labels, recipe and statistics.
 */
import { initWeights } from "@recurrent/core";
import { exportOnnx } from "@recurrent/onnx";
import { Cmvn, MFCC_RECIPE, NUM_FEATURES, NUM_STATIC, PHONE_CLASSES } from "@recurrent/speech";
import { describe, expect, test } from "vitest";
import { buildModel, findModel } from "../models.js";
import { onnxMetadata } from "./onnx-metadata.js";

const stats = (d: number) =>
  new Cmvn(
    Float32Array.from({ length: d }, (_, i) => i / 4),
    Float32Array.from({ length: d }, (_, i) => 1 + i / 8),
  );

/** The JSON value stored under `key` (metadata_props values are plain UTF-8 inside the protobuf). */
function stored(bytes: Uint8Array, key: string): unknown {
  // StringStringEntryProto: key (field 1, tag 0x0a), then value (field 2, tag 0x12), each a varint length + bytes.
  const needle = Uint8Array.of(0x0a, key.length, ...new TextEncoder().encode(key), 0x12);
  let at = -1;
  for (let i = 0; i + needle.length <= bytes.length && at < 0; i++) {
    if (needle.every((b, k) => bytes[i + k] === b)) at = i + needle.length;
  }
  expect(at, key).toBeGreaterThan(0);
  let len = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    const b = bytes[at++] as number;
    len += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
  }
  return JSON.parse(new TextDecoder().decode(bytes.subarray(at, at + len)));
}

describe("onnxMetadata", () => {
  test("a classifier: 40 phone labels, the MFCC recipe over all 39 values, its CMVN", () => {
    const model = buildModel(findModel("classify", "lstm"), NUM_FEATURES, PHONE_CLASSES.length);
    const cmvn = stats(NUM_FEATURES);
    const bytes = exportOnnx(model, initWeights(model, { seed: 1 }), {
      metadata: onnxMetadata({ task: "classify", zooId: "lstm", cmvn }),
    });
    expect(stored(bytes, "recurrent.labels")).toEqual([...PHONE_CLASSES]);
    expect(stored(bytes, "recurrent.features")).toMatchObject({ ...MFCC_RECIPE, input: "all 39 values of each frame" });
    expect(stored(bytes, "recurrent.cmvn")).toEqual({ mean: [...cmvn.mean], std: [...cmvn.std] });
  });

  test("a next-frame model: no labels, 13 statics, its horizon", () => {
    const model = buildModel(findModel("next-frame", "lstm"), NUM_STATIC, NUM_STATIC);
    const metadata = onnxMetadata({ task: "next-frame", zooId: "lstm", cmvn: stats(NUM_STATIC), horizon: 2 });
    expect(metadata.labels).toBeUndefined();
    expect(metadata.extra).toEqual({
      "speech-demo.task": "next-frame",
      "speech-demo.model": "lstm",
      "speech-demo.horizon": "2",
    });
    const bytes = exportOnnx(model, initWeights(model, { seed: 1 }), { metadata });
    expect(stored(bytes, "recurrent.features")).toMatchObject({ input: "the first 13 values (statics) of each frame" });
    expect((stored(bytes, "recurrent.cmvn") as { mean: number[] }).mean).toHaveLength(NUM_STATIC);
  });
});
