/**
 * The official ONNX file through @recurrent/onnx's importer (cross-checked against the graph built by hand), and
 * exportSileroOnnx with the original contract in onnxruntime-node: the original weights give the official file's
 * probabilities, other (fine-tuned) weights give the JS backend's.
 */
import { jsBackend } from "@recurrent/backend-js";
import { decodeSafetensors, initWeights, type LayerNode, type NodeOf } from "@recurrent/core";
import { importOnnx } from "@recurrent/onnx";
import { readWav } from "@recurrent/speech";
import * as ort from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import {
  CHUNK_SAMPLES,
  exportSileroOnnx,
  SileroVad,
  sileroDecoderGraph,
  sileroFromOnnx,
  sileroGraph,
  UNITS,
  WINDOW_SAMPLES,
  withDecoderWeights,
} from "../src/index.js";
import { bytesOf, ONNX, SAFETENSORS, SKIP_REASON, TEST_WAV } from "./files.js";
import { ortCall, ortProbabilities, ortSession } from "./ort-reference.js";

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

/** The layers that shape the numbers, without ids: what the importer and the hand-built graph must agree on. */
function layers(nodes: readonly LayerNode[]): string[] {
  return nodes.flatMap((n) => {
    if (n.op === "pad") return [`pad ${n.before}/${n.after} ${n.mode}`];
    if (n.op === "conv1d") {
      const c = n as NodeOf<"conv1d">;
      return [`conv ${c.filters} k${c.kernelSize} s${c.stride ?? 1} ${c.padding} bias=${c.useBias}`];
    }
    if (n.op === "rnn") return [`${n.cell} ${n.units} ${n.direction}`];
    if (n.op === "magnitude") return ["magnitude"];
    if (n.op === "pool") return [`pool ${n.mode}`];
    return [];
  });
}

describe.skipIf(SKIP_REASON !== undefined)("the official ONNX file, imported", () => {
  it("has the layers of the hand-built graph (the 1×1 head as a k1 conv)", () => {
    const imported = importOnnx(bytesOf(ONNX), { dims: { sequence: WINDOW_SAMPLES }, constants: { sr: 16000 } });
    const mine = layers(sileroGraph().nodes);
    expect(layers(imported.model.nodes)).toEqual([...mine.slice(0, -1), "conv 1 k1 s1 same bias=true", "pool mean"]);
  });

  it("holds another checkpoint than the safetensors file: only the STFT basis is equal", () => {
    const fromOnnx = sileroFromOnnx(bytesOf(ONNX)).weights;
    const { tensors } = decodeSafetensors(bytesOf(SAFETENSORS));
    expect(fromOnnx["stft_conv/weight"]!.data).toEqual(tensors["stft_conv.weight"]!.data);
    expect(maxDiff(fromOnnx["conv1/weight"]!.data, tensors["conv1.weight"]!.data)).toBeGreaterThan(0.1);
  });
});

describe.skipIf(SKIP_REASON !== undefined)("exportSileroOnnx (the original contract)", () => {
  let samples: Float32Array;
  let official: Float32Array;
  beforeAll(async () => {
    samples = readWav(bytesOf(TEST_WAV)).samples.subarray(0, 400 * CHUNK_SAMPLES);
    official = await ortProbabilities(await ortSession(bytesOf(ONNX)), samples);
  });

  it("exports input [batch, samples], state [2, batch, 128], sr → output [batch, 1], stateN", async () => {
    const { model, weights } = sileroFromOnnx(bytesOf(ONNX));
    const session = await ortSession(exportSileroOnnx(model, weights));
    expect(session.inputNames).toEqual(["input", "state", "sr"]);
    expect(session.outputNames).toEqual(["output", "stateN"]);
    const meta = (name: string) =>
      session.inputMetadata.find((m) => m.name === name) as { shape?: unknown; type?: string };
    expect(meta("input")).toMatchObject({ type: "float32", shape: ["batch", "samples"] });
    expect(meta("state")).toMatchObject({ type: "float32", shape: [2, "batch", UNITS] });
    expect(meta("sr")).toMatchObject({ type: "int64", shape: [] });
  });

  it("the original weights give the official file's probabilities (≤ 1e-4, state carried)", async () => {
    const { model, weights } = sileroFromOnnx(bytesOf(ONNX));
    const exported = await ortProbabilities(await ortSession(exportSileroOnnx(model, weights)), samples);
    const diff = maxDiff(exported, official);
    console.log(
      `[silero export] original weights: ${exported.length} chunks, max |p − p_official| = ${diff.toExponential(2)}`,
    );
    expect(diff).toBeLessThanOrEqual(1e-4);
  });

  it("other (fine-tuned) weights give the JS probabilities and state; a batch of 2 runs", async () => {
    const { model, weights: original } = sileroFromOnnx(bytesOf(ONNX));
    const weights = withDecoderWeights(original, initWeights(sileroDecoderGraph(), { seed: 7 }));
    const session = await ortSession(exportSileroOnnx(model, weights));
    const exported = await ortProbabilities(session, samples);
    const vad = await SileroVad.create(jsBackend(), { model, weights });
    const { probabilities } = await vad.detect(samples, 16000);
    expect(maxDiff(exported, probabilities)).toBeLessThanOrEqual(1e-5);
    expect(maxDiff(exported, official)).toBeGreaterThan(1e-2); // the weights did change the numbers
    // One call with batch 2 equals two calls with batch 1.
    const a = samples.subarray(0, WINDOW_SAMPLES);
    const b = samples.subarray(CHUNK_SAMPLES, CHUNK_SAMPLES + WINDOW_SAMPLES);
    const both = await session.run({
      input: new ort.Tensor("float32", Float32Array.from([...a, ...b]), [2, WINDOW_SAMPLES]),
      state: new ort.Tensor("float32", new Float32Array(2 * 2 * UNITS), [2, 2, UNITS]),
      sr: new ort.Tensor("int64", BigInt64Array.of(16000n), []),
    });
    const zero = new Float32Array(2 * UNITS);
    const single = [(await ortCall(session, a, zero)).probability, (await ortCall(session, b, zero)).probability];
    expect(maxDiff(both.output!.data as Float32Array, single)).toBeLessThanOrEqual(1e-6);
    expect(both.stateN!.dims).toEqual([2, 2, UNITS]);
    await vad.dispose();
  });
});
