// Conv models exported by torch.onnx.export (tooling/onnx-import/make_torch_onnx.py, CONV_MODELS; opset 17):
// strided Conv1d between Transposes, Silero's front end in small (reflect pad, STFT conv, magnitude, ReduceMean), a
// Conv1d → LSTM → Conv1d(k=1) → Sigmoid stack, and a Silero-shaped model (a squeezed one-step LSTM with its
// state [2, B, H] in and out, `sr` folded, Ifs on the conv's length). Each is imported, its ONNX feeds mapped with
// toImportedFeeds, run in backend-js and mapped back with fromImportedResults; onnxruntime-node runs the same
// file on the same feeds and PyTorch's outputs (the JSON) are an independent third check.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { jsBackend } from "@recurrent/backend-js";
import { InferenceSession, Tensor as OrtTensor } from "onnxruntime-node";
import { expect, test } from "vitest";
import { type ImportOptions, importOnnx } from "./importer.js";
import { fromImportedResults, toImportedFeeds } from "./io.js";

const DIR = join(import.meta.dirname, "..", "..", "test-fixtures", "torch");

interface Named {
  shape: number[];
  dtype: string;
  data: number[];
}
interface Fixture {
  inputs: Record<string, Named>;
  outputs: Record<string, Named>;
}

const CASES: [string, ImportOptions, string[]][] = [
  ["conv_stride", {}, ["input", "conv1d", "activation", "activation"]],
  ["spectrum", {}, ["input", "pad", "conv1d", "magnitude", "pool"]],
  ["conv_lstm", {}, ["input", "conv1d", "activation", "rnn", "conv1d", "activation"]],
  ["mini_silero", { dims: { sequence: 96 }, constants: { sr: 16000 } }, []],
];

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

test.each(CASES)(
  "torch.onnx.export %s: imported into backend-js matches onnxruntime-node and PyTorch within 1e-5",
  async (name, options, ops) => {
    const bytes = readFileSync(join(DIR, `${name}.onnx`));
    const fx = JSON.parse(readFileSync(join(DIR, `${name}.json`), "utf8")) as Fixture;
    const imported = importOnnx(bytes, options);
    if (ops.length > 0) expect(imported.model.nodes.map((n) => n.op)).toEqual(ops);

    const onnxFeeds = Object.fromEntries(
      Object.entries(fx.inputs).map(([k, v]) => [k, { shape: v.shape, data: Float32Array.from(v.data) }]),
    );
    const exe = await jsBackend().compile(imported.model, imported.weights);
    const got = fromImportedResults(imported.io, await exe.run(toImportedFeeds(imported.io, onnxFeeds)));

    const session = await InferenceSession.create(bytes);
    const ortFeeds = Object.fromEntries(
      Object.entries(fx.inputs).map(([k, v]) => [
        k,
        v.dtype === "int64"
          ? new OrtTensor("int64", BigInt64Array.from(v.data.map(BigInt)), v.shape)
          : new OrtTensor("float32", Float32Array.from(v.data), v.shape),
      ]),
    );
    const ort = await session.run(ortFeeds);
    const lines: string[] = [];
    for (const [out, want] of Object.entries(fx.outputs)) {
      const mine = got[out];
      expect(mine?.shape, out).toEqual(want.shape);
      const vsOrt = maxDiff(mine?.data as Float32Array, ort[out]?.data as Float32Array);
      const vsTorch = maxDiff(mine?.data as Float32Array, want.data);
      lines.push(`${out} ${vsOrt.toExponential(2)} / ${vsTorch.toExponential(2)}`);
      expect(vsOrt).toBeLessThan(1e-5);
      expect(vsTorch).toBeLessThan(1e-5);
    }
    console.log(`${name}: max |backend-js − onnxruntime| / |− PyTorch|: ${lines.join(", ")}`);
    await exe.dispose();
    await session.release();
  },
);
