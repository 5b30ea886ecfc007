/**
 * Data-parallel training (src/threads/) on apps/bench's train workloads at full size (T=100, B=32): each
 * workload on 1 thread and on N threads, alternating step by step in one process so that the machine's load
 * hits both alike. Prints wall time (median, min) and process CPU time (all threads: the work each step costs)
 * per step, and the N-thread / 1-thread ratios. Timing lives here, never in tests.
 *   W1 LSTM 128, W2 GRU 128, W5 BiLSTM 128 (sum), W6 simple RNN 128: D=39 → rnn → dense 39 per frame.
 *   W7: frameStack ±20 over D=39 → dense 140 relu → dense 140 relu → dense 40.
 * Run: cd packages/backend-js && node --experimental-wasm-relaxed-simd --conditions=@recurrent/source \
 *        --import tsx bench/threads.ts [steps=20] [threads=2] [W1,W2,W5,W6,W7]
 */
import { cpus, loadavg } from "node:os";
import {
  assertValid,
  createRng,
  dense,
  frameStack,
  fullLengths,
  initWeights,
  input,
  type LayerNode,
  rnn,
  sequential,
  type Tensor,
} from "@recurrent/core";
import { jsBackend, productKernel } from "../src/index.js";

const STEPS = Number(process.argv[2] ?? 20);
const THREADS = Number(process.argv[3] ?? 2);
const ONLY = (process.argv[4] ?? "W1,W2,W5,W6,W7").split(",");
const [D, T, B] = [39, 100, 32];

function randomTensor(shape: number[], seed: number): Tensor {
  const rng = createRng(seed);
  const data = new Float32Array(shape.reduce((a, d) => a * d, 1));
  for (let i = 0; i < data.length; i++) data[i] = rng.next() * 2 - 1;
  return { shape, data };
}

const recurrent = (cell: "lstm" | "gru" | "simple", bidirectional = false): LayerNode[] => [
  rnn("rnn", { cell, units: 128, ...(bidirectional ? { direction: "bidirectional" as const, merge: "sum" } : {}) }),
  dense("out", { units: 39 }),
];
const WORKLOADS: Record<string, { layers: LayerNode[]; outputs: number }> = {
  W1: { layers: recurrent("lstm"), outputs: 39 },
  W2: { layers: recurrent("gru"), outputs: 39 },
  W5: { layers: recurrent("lstm", true), outputs: 39 },
  W6: { layers: recurrent("simple"), outputs: 39 },
  W7: {
    layers: [
      frameStack("window", { left: 20 }),
      dense("hidden1", { units: 140, activation: "relu" }),
      dense("hidden2", { units: 140, activation: "relu" }),
      dense("out", { units: 40 }),
    ],
    outputs: 40,
  },
};

const stat = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, min: s[0]! };
};

console.log(
  `${cpus()[0]?.model ?? "?"}, ${cpus().length} cores, Node ${process.version}, product kernel ${productKernel()}; ` +
    `load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}; ${STEPS} steps each after 3 warm-up steps`,
);
console.log("| workload | threads | wall median | wall min | CPU median | N / 1 thread (median, min) |");
console.log("| --- | --: | --: | --: | --: | --: |");
for (const id of ONLY) {
  const spec = WORKLOADS[id];
  if (spec === undefined) throw new Error(`unknown workload ${id}; one of ${Object.keys(WORKLOADS).join(", ")}`);
  const model = assertValid(sequential(id, [input("x", D), ...spec.layers]));
  const x = randomTensor([T, B, D], 1);
  const batch = { inputs: { x, lengths: fullLengths(x) }, target: randomTensor([T, B, spec.outputs], 2) };
  const config = { loss: "mse", optimizer: { kind: "adam", lr: 1e-3 } } as const;
  const runs = await Promise.all(
    [1, THREADS].map(async (threads) => ({
      threads,
      trainer: await jsBackend({ threads }).trainer(model, initWeights(model, { seed: 1 }), config),
      wall: [] as number[],
      cpu: [] as number[],
    })),
  );
  for (const r of runs) for (let i = 0; i < 3; i++) await r.trainer.step(batch);
  for (let i = 0; i < STEPS; i++) {
    for (const r of runs) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await r.trainer.step(batch);
      r.wall.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      r.cpu.push((c.user + c.system) / 1000);
    }
  }
  const [one, many] = runs.map((r) => ({ ...r, w: stat(r.wall), c: stat(r.cpu) }));
  for (const r of [one!, many!]) {
    const ratio = r === many ? `${(r.w.median / one!.w.median).toFixed(2)}, ${(r.w.min / one!.w.min).toFixed(2)}` : "–";
    console.log(
      `| ${id} | ${r.threads} | ${r.w.median.toFixed(1)} ms | ${r.w.min.toFixed(1)} ms | ${r.c.median.toFixed(1)} ms | ${ratio} |`,
    );
  }
  for (const r of runs) await r.trainer.dispose();
}
