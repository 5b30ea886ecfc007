/**
 * A train step and a forward of every recurrent cell at W1's shape (D=39, H, dense O=39, B=32, T=100, MSE,
 * Adam), in the kernel modes `gemm` (SIMD products, recurrent time loops in JavaScript) and `auto` (the default:
 * the fused WebAssembly time loops), alternating mode by mode within each repetition so that machine load hits
 * both alike. Reports wall time and process CPU time (user + system, which a loaded machine distorts less: a
 * step that waits for a core does not count). Timing lives here, never in tests.
 * A mode may name the product kernel: `auto:simd` forces the plain f32x4 one where `auto` would pick the fused
 * multiply-add one (relaxed SIMD: Node ≥ 22, or Node 20 with `node --experimental-wasm-relaxed-simd`).
 * Run: cd packages/backend-js && /work/main/node_modules/.bin/tsx --conditions=@recurrent/source bench/cells.ts \
 *        [reps=7] [H=128] [cells=lstm,gru,gru-rb,simple,simple-relu] [modes=gemm,auto]
 */
import { cpus, loadavg } from "node:os";
import {
  assertValid,
  createRng,
  dense,
  type Graph,
  gru,
  initWeights,
  input,
  lstm,
  sequential,
  simpleRnn,
  type Tensor,
} from "@recurrent/core";
import { jsBackend } from "../src/index.js";
import { productKernel } from "../src/math/wasm/arena.js";
import {
  type KernelMode,
  type ProductKernelChoice,
  setKernelMode,
  setProductKernel,
} from "../src/math/wasm/simd-support.js";

const D = 39;
const O = 39;
const B = 32;
const T = 100;
const REPS = Number(process.argv[2] ?? 7);
const H = Number(process.argv[3] ?? 128);
const CELLS = (process.argv[4] ?? "lstm,gru,gru-rb,simple,simple-relu").split(",");
const MODES = (process.argv[5] ?? "gemm,auto").split(",");

/** Sets a mode written `kernel-mode[:product-kernel]`, and returns the product kernel then in force. */
function use(mode: string): string {
  const [loops, product] = mode.split(":");
  setKernelMode(loops as KernelMode);
  setProductKernel((product ?? "auto") as ProductKernelChoice);
  return productKernel();
}

const layer = (cell: string) => {
  switch (cell) {
    case "lstm":
      return lstm("rnn", { units: H });
    case "gru":
      return gru("rnn", { units: H });
    case "gru-rb":
      return gru("rnn", { units: H, resetAfter: false });
    case "simple":
      return simpleRnn("rnn", { units: H });
    case "simple-relu":
      return simpleRnn("rnn", { units: H, activation: "relu" });
    default:
      throw new Error(`cells.ts: unknown cell ${cell} (lstm, gru, gru-rb, simple, simple-relu)`);
  }
};

function randomTensor(shape: number[], seed: number): Tensor {
  const rng = createRng(seed);
  const data = new Float32Array(shape.reduce((a, d) => a * d, 1));
  for (let i = 0; i < data.length; i++) data[i] = rng.next() * 2 - 1;
  return { shape, data };
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s.at(-1)! };
};

const x = randomTensor([T, B, D], 2);
const target = randomTensor([T, B, O], 3);
const lengths = new Int32Array(B).fill(T);
const batch = { inputs: { x, lengths }, target };
const backend = jsBackend({ threads: 1 }); // one thread: kernels compared, not the data-parallel trainer
const config = { loss: "mse", optimizer: { kind: "adam", lr: 1e-3 } } as const;

const setups = [];
for (const cell of CELLS) {
  const graph: Graph = sequential(cell, [input("x", D), layer(cell), dense("out", { units: O })]);
  const model = assertValid(graph);
  for (const mode of MODES) {
    const product = use(mode);
    setups.push({
      cell,
      mode: `${mode} (${product} products)`,
      set: mode,
      exe: await backend.compile(model, initWeights(model, { seed: 1 })),
      trainer: await backend.trainer(model, initWeights(model, { seed: 1 }), config),
      train: [] as number[],
      run: [] as number[],
      trainCpu: [] as number[],
      runCpu: [] as number[],
    });
  }
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const load0 = loadavg();
for (let rep = -1; rep < REPS; rep++) {
  for (const s of setups) {
    use(s.set);
    let t0 = performance.now();
    let c0 = process.cpuUsage();
    await s.trainer.step(batch);
    const train = performance.now() - t0;
    const trainCpu = cpuMs(process.cpuUsage(c0));
    t0 = performance.now();
    c0 = process.cpuUsage();
    await s.exe.run({ x, lengths });
    const run = performance.now() - t0;
    const runCpu = cpuMs(process.cpuUsage(c0));
    if (rep < 0) continue; // warm-up
    s.train.push(train);
    s.run.push(run);
    s.trainCpu.push(trainCpu);
    s.runCpu.push(runCpu);
  }
}
const load1 = loadavg();

console.log(
  `backend-js cells, ${cpus()[0]?.model ?? "?"}, Node ${process.version}; D=${D} H=${H} O=${O} B=${B} T=${T}; ` +
    `${REPS} alternating reps after a warm-up; load average ${load0[0]!.toFixed(1)} → ${load1[0]!.toFixed(1)}`,
);
console.log("| cell | mode | train step, wall ms: median (min–max) | CPU ms | forward, wall ms | CPU ms |");
console.log("|---|---|---|---|---|---|");
const fmt = (xs: number[]) => {
  const { median, min, max } = stats(xs);
  return `${median.toFixed(1)} (${min.toFixed(1)}–${max.toFixed(1)})`;
};
for (const s of setups) {
  console.log(`| ${s.cell} | ${s.mode} | ${fmt(s.train)} | ${fmt(s.trainCpu)} | ${fmt(s.run)} | ${fmt(s.runCpu)} |`);
}
for (const cell of CELLS) {
  const a = setups.find((s) => s.cell === cell && s.set === MODES[0]);
  const last = setups.filter((s) => s.cell === cell).at(-1);
  if (a === undefined || last === undefined || a === last) continue;
  const ratio = (k: "train" | "run" | "trainCpu" | "runCpu") => (stats(a[k]).median / stats(last[k]).median).toFixed(2);
  console.log(
    `${cell}: ${MODES[0]} / ${last.mode} medians: train ${ratio("train")}× (CPU ${ratio("trainCpu")}×), ` +
      `forward ${ratio("run")}× (CPU ${ratio("runCpu")}×)`,
  );
}
for (const s of setups) {
  await s.exe.dispose();
  await s.trainer.dispose();
}
