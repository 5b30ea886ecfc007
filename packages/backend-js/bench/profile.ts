/**
 * One workload in a loop, for `node --cpu-prof` (see README "Performance"): W1 | W3 | W4 | W5, kernel mode auto,
 * with an LSTM or another cell in its place (W1/W3/W5 shapes).
 * Run: node --cpu-prof --cpu-prof-dir=/tmp/prof --conditions=@recurrent/source --import tsx bench/profile.ts W1 \
 *        [mode=auto] [cell=lstm|gru|gru-rb|simple|simple-relu]
 */
import {
  assertValid,
  createRng,
  dense,
  gru,
  initWeights,
  input,
  lstm,
  sequential,
  simpleRnn,
  type Tensor,
} from "@recurrent/core";
import { jsBackend } from "../src/index.js";
import { type KernelMode, setKernelMode } from "../src/math/wasm/simd-support.js";

const [D, H, O, B, T] = [39, 128, 39, 32, 100];
const which = process.argv[2] ?? "W3";
setKernelMode((process.argv[3] ?? "auto") as KernelMode);
const cell = process.argv[4] ?? "lstm";

/** The recurrent layer, named "lstm" whatever its cell (the stream feeds below use that name). */
function recurrent(options: { units: number; direction?: "bidirectional" }) {
  if (cell === "lstm") return lstm("lstm", options);
  if (cell === "gru" || cell === "gru-rb") return gru("lstm", { ...options, resetAfter: cell === "gru" });
  return simpleRnn("lstm", { ...options, activation: cell === "simple-relu" ? "relu" : "tanh" });
}

function randomTensor(shape: number[], seed: number): Tensor {
  const rng = createRng(seed);
  const data = new Float32Array(shape.reduce((a, d) => a * d, 1));
  for (let i = 0; i < data.length; i++) data[i] = rng.next() * 2 - 1;
  return { shape, data };
}
const model = assertValid(
  sequential("w", [
    input("x", D),
    recurrent({ units: H, ...(which === "W5" ? { direction: "bidirectional" as const } : {}) }),
    dense("out", { units: O }),
  ]),
);
const weights = initWeights(model, { seed: 1 });
const x = randomTensor([T, B, D], 2);
const lengths = new Int32Array(B).fill(T);
const backend = jsBackend({ threads: 1 }); // one thread: kernels compared, not the data-parallel trainer
const t0 = performance.now();
let n = 0;
if (which === "W3" || which === "W4") {
  const exe = await backend.compile(model, weights);
  const frame = { shape: [1, 1, D], data: x.data.subarray(0, D) };
  const h: Tensor = { shape: [1, 1, H], data: new Float32Array(H) };
  while (performance.now() - t0 < Number(process.env.PROFILE_MS ?? 10_000)) {
    if (which === "W3") await exe.run({ x, lengths });
    else
      await exe.run(
        { x: frame, lengths: Int32Array.of(1), "lstm/h": h, ...(cell === "lstm" ? { "lstm/c": h } : {}) },
        { fetch: ["out", "lstm/h"] },
      );
    n++;
  }
} else {
  const trainer = await backend.trainer(model, weights, { loss: "mse", optimizer: { kind: "adam", lr: 1e-3 } });
  const batch = { inputs: { x, lengths }, target: randomTensor([T, B, O], 3) };
  while (performance.now() - t0 < Number(process.env.PROFILE_MS ?? 10_000)) {
    await trainer.step(batch);
    n++;
  }
}
console.log(`${which}: ${n} runs, ${((performance.now() - t0) / n).toFixed(3)} ms each`);
