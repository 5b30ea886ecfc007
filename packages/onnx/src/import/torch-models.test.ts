// Models exported by torch.onnx.export (tooling/onnx-import/make_torch_onnx.py: nn.LSTM / GRU / RNN,
// bidirectional, stacked, each with a Linear head per frame or on h_n[-1], opset 17, lengths through pack_padded_sequence) are imported
// and run in backend-js; onnxruntime-node runs the same file on the same inputs, and PyTorch's own outputs
// (in the JSON beside each file) are a third, independent check. Only valid steps are compared.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { jsBackend } from "@recurrent/backend-js";
import { InferenceSession, Tensor as OrtTensor } from "onnxruntime-node";
import { expect, test } from "vitest";
import { importOnnx } from "./importer.js";

const DIR = join(import.meta.dirname, "..", "..", "test-fixtures", "torch");
const NAMES = ["lstm", "gru", "rnn", "rnn_relu", "bilstm", "bigru", "lstm2", "bigru2", "gru_last", "lstm_last"];

interface Fixture {
  x: { shape: number[]; data: number[] };
  lengths: number[];
  y: { shape: number[]; data: number[] };
}

/** Max |a − b| over valid steps of a [T, B, O] output, or over all of a [B, O] one (many-to-one). */
function maxValidDiff(a: ArrayLike<number>, b: ArrayLike<number>, shape: number[], lengths: number[]): number {
  const [T, B, O] = (shape.length === 2 ? [1, ...shape] : shape) as [number, number, number];
  if (shape.length === 2) lengths = lengths.map(() => 1);
  let worst = 0;
  for (let s = 0; s < T; s++) {
    for (let j = 0; j < B; j++) {
      if (s >= (lengths[j] as number)) continue;
      for (let o = 0; o < O; o++) {
        const i = (s * B + j) * O + o;
        worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
      }
    }
  }
  return worst;
}

test.each(NAMES)(
  "torch.onnx.export %s: imported model in backend-js matches onnxruntime-node within 1e-5",
  async (name) => {
    const bytes = readFileSync(join(DIR, `${name}.onnx`));
    const fx = JSON.parse(readFileSync(join(DIR, `${name}.json`), "utf8")) as Fixture;
    const { model, weights, outputs } = importOnnx(bytes);
    const exe = await jsBackend().compile(model, weights);
    const x = { shape: fx.x.shape, data: Float32Array.from(fx.x.data) };
    const got = await exe.run({ x, lengths: Int32Array.from(fx.lengths) });
    const y = got[outputs.y as string];
    expect(y?.shape).toEqual(fx.y.shape);

    const session = await InferenceSession.create(bytes);
    const ort = await session.run({
      x: new OrtTensor("float32", x.data, x.shape),
      lengths: new OrtTensor("int64", BigInt64Array.from(fx.lengths.map(BigInt)), [fx.lengths.length]),
    });
    const ortY = ort.y?.data as Float32Array;
    const vsOrt = maxValidDiff(y?.data as Float32Array, ortY, fx.y.shape, fx.lengths);
    const vsTorch = maxValidDiff(y?.data as Float32Array, fx.y.data, fx.y.shape, fx.lengths);
    console.log(
      `${name}: max |backend-js − onnxruntime| ${vsOrt.toExponential(2)}, vs PyTorch ${vsTorch.toExponential(2)}`,
    );
    expect(vsOrt).toBeLessThan(1e-5);
    expect(vsTorch).toBeLessThan(1e-5);
    await exe.dispose();
    await session.release();
  },
);
