import * as tf from "@tensorflow/tfjs";
import { assertValid, dense, initWeights, input, lstm, sequential } from "@recurrent/core";
import { tfjsBackend } from "../src/index.js";
tf.env().set("PROD", true);
const name = process.argv[2] ?? "wasm";
const model = assertValid(sequential("w1", [input("x", 39), lstm("l", { units: 128 }), dense("out", { units: 39 })]));
const weights = initWeights(model, { seed: 1 });
const x = { shape: [100, 32, 39], data: new Float32Array(100 * 32 * 39).fill(0.1) };
const exe = await tfjsBackend({ backend: name }).compile(model, weights);
await exe.run({ x });
const info = await tf.profile(async () => { await exe.run({ x }); });
const by = new Map<string, [number, number]>();
for (const k of info.kernels) { const e = by.get(k.name) ?? [0, 0]; e[0] += Number(k.kernelTimeMs); e[1]++; by.set(k.name, e); }
console.log([...by].sort((a, b) => b[1][0] - a[1][0]).slice(0, 15).map(([k, [t, n]]) => `${k}: ${t.toFixed(1)}ms x${n}`).join("\n"));
let t0 = performance.now(); await exe.run({ x }); console.log("run ms", performance.now() - t0);
