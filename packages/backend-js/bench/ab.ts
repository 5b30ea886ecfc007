/**
 * W3 (LSTM forward) and W6 (simple-RNN train step), or any cell's train step / forward at W1's shape, timed in
 * wall and process CPU time (user + system: a step that waits for a core on a loaded machine does not count).
 * For before/after comparisons of kernel changes: run this file from two checkouts alternately and compare
 * the CPU medians. Timing lives here, never in tests.
 * Run: cd packages/backend-js && node --experimental-wasm-relaxed-simd --conditions=@recurrent/source \
 *        --import tsx bench/ab.ts [reps=15] [jobs=W3,W6]
 *   jobs: W3 | W4 (1000 frames streamed, B = 1) | W6 | <cell>-train | <cell>-fwd, cell one of lstm, gru,
 *   gru-rb, simple, simple-relu
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
  stream,
  type Tensor,
} from "@recurrent/core";
import { jsBackend } from "../src/index.js";

const [D, H, O, B] = [39, 128, 39, 32];
const T = Number(process.env.T ?? 100);
const REPS = Number(process.argv[2] ?? 15);
const JOBS = (process.argv[3] ?? "W3,W6").split(",");

function randomTensor(shape: number[], seed: number): Tensor {
  const rng = createRng(seed);
  const data = new Float32Array(shape.reduce((a, d) => a * d, 1));
  for (let i = 0; i < data.length; i++) data[i] = rng.next() * 2 - 1;
  return { shape, data };
}

function recurrent(cell: string) {
  if (cell === "lstm") return lstm("rnn", { units: H });
  if (cell === "gru" || cell === "gru-rb") return gru("rnn", { units: H, resetAfter: cell === "gru" });
  return simpleRnn("rnn", { units: H, activation: cell === "simple-relu" ? "relu" : "tanh" });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const x = randomTensor([T, B, D], 2);
const target = randomTensor([T, B, O], 3);
const lengths = new Int32Array(B).fill(T);
// One thread unless THREADS says otherwise: kernel changes show most clearly without the data-parallel split.
const backend = jsBackend({ threads: Number(process.env.THREADS ?? 1) });

for (const job of JOBS) {
  const named: Record<string, [string, string]> = {
    W3: ["lstm", "fwd"],
    W4: ["lstm", "stream"],
    W6: ["simple", "train"],
  };
  const [cell, kind] = named[job] ?? job.split("-rb").join("_rb").split("-");
  if (!["fwd", "stream", "train"].includes(kind!)) throw new Error(`unknown job "${job}"`);
  const cellName = cell!.replace("_rb", "-rb");
  const model = assertValid(sequential("m", [input("x", D), recurrent(cellName), dense("out", { units: O })]));
  const weights = initWeights(model, { seed: 1 });
  let once: () => Promise<unknown>;
  if (kind === "stream") {
    const exe = await backend.compile(model, weights);
    const frames = Array.from({ length: 1000 }, (_, f) => ({
      shape: [1, D],
      data: x.data.subarray(f * D, (f + 1) * D),
    }));
    const s = stream(exe);
    once = async () => {
      s.reset();
      for (const frame of frames) await s.push(frame);
    };
  } else if (kind === "fwd") {
    const exe = await backend.compile(model, weights);
    once = () => exe.run({ x, lengths });
  } else {
    const trainer = await backend.trainer(model, weights, { loss: "mse", optimizer: { kind: "adam", lr: 1e-3 } });
    const batch = { inputs: { x, lengths }, target };
    once = () => trainer.step(batch);
  }
  for (let i = 0; i < 3; i++) await once();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await once();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  console.log(`${job.padEnd(12)} wall ${median(wall).toFixed(2)} ms  cpu ${median(cpu).toFixed(2)} ms`);
}
