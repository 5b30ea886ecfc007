// The README's "Import" example: an ONNX file (here one that torch.onnx.export wrote: nn.LSTM + Linear, lengths
// through pack_padded_sequence) becomes a Recurrent model and weights, and runs in backend-js.
// Run from this folder: npx tsx --conditions=@recurrent/source scripts/import-example.ts [model.onnx]
import { readFileSync } from "node:fs";
import { jsBackend } from "@recurrent/backend-js";
import { importOnnx } from "@recurrent/onnx";

const path = process.argv[2] ?? "test-fixtures/torch/lstm.onnx";
const { model, weights, outputs } = importOnnx(readFileSync(path));
console.log(model.nodes.map((n) => `${n.op} ${n.id}`).join(" → ")); // input x → rnn … → dense y
const exe = await jsBackend().compile(model, weights);
const x = { shape: [7, 3, 5], data: new Float32Array(7 * 3 * 5).fill(0.1) }; // T=7, B=3, D=5
const result = await exe.run({ x, lengths: Int32Array.from([7, 5, 2]) });
console.log(result[outputs.y ?? "y"]?.shape); // [7, 3, 3]
await exe.dispose();
