// The README's example (run from packages/onnx: npx tsx --conditions=@recurrent/source scripts/example.ts).
import { writeFile } from "node:fs/promises";
import { assertValid, dense, initWeights, input, lstm, sequential, stream } from "@recurrent/core";
import { exportOnnx } from "@recurrent/onnx";
import { onnxBackend } from "@recurrent/onnx/node";

const model = assertValid(
  sequential("phones", [input("mfcc", 39), lstm("lstm", { units: 64 }), dense("out", { units: 40 })]),
);
const weights = initWeights(model, { seed: 1 });

// 1. A file for any ONNX runtime: inputs mfcc [time, batch, 39], lengths int32 [batch], lstm/h_0, lstm/c_0
//    (optional, zeros by default); outputs out, lstm/h, lstm/c.
await writeFile("phones.onnx", exportOnnx(model, weights));

// 2. The same model on onnxruntime-node, fed like every other backend.
const exe = await onnxBackend().compile(model, weights);
const x = { shape: [100, 2, 39], data: new Float32Array(100 * 2 * 39).fill(0.1) }; // T=100, B=2
const { out } = await exe.run({ mfcc: x, lengths: Int32Array.from([100, 73]) });
console.log(out?.shape); // [100, 2, 40]

// 3. Frame by frame: stream() feeds lstm/h and lstm/c back on every call.
const s = stream(exe);
for (let t = 0; t < 3; t++) {
  const frame = await s.push({ shape: [1, 39], data: new Float32Array(39).fill(0.1) });
  console.log(frame.out?.shape); // [1, 40]
}
await exe.dispose();
