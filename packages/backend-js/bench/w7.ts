/**
 * W7 of apps/bench: the 250k windowed FFN train step (frameStack ±20 over D=39 → dense 140 relu → dense 140
 * relu → dense 40, MSE, Adam) at W1's [T=100, B=32], timed in wall and process CPU time (user + system, which a
 * loaded machine distorts less). Given a second backend-js source tree (an export of an earlier commit, whose
 * `node_modules` links to this package's), runs both in one process, alternating within each repetition, so
 * that machine load hits both alike. Timing lives here, never in tests.
 * Run: cd packages/backend-js && /work/main/node_modules/.bin/tsx --conditions=@recurrent/source bench/w7.ts \
 *        [reps=9] [path/to/other/src/index.ts]
 */
import { cpus, loadavg } from "node:os";
import {
  assertValid,
  createRng,
  dense,
  frameStack,
  initWeights,
  input,
  sequential,
  type Tensor,
} from "@recurrent/core";
import { jsBackend } from "../src/index.js";

const [D, T, B, O, CONTEXT, HIDDEN] = [39, 100, 32, 40, 20, 140];
const REPS = Number(process.argv[2] ?? 9);
const OTHER = process.argv[3];
/** Multiply-adds × 2 of the three products, each run three times (forward, weight and input gradients). */
const FLOP = 3 * T * 2 * B * ((2 * CONTEXT + 1) * D * HIDDEN + HIDDEN * HIDDEN + HIDDEN * O);

function randomTensor(shape: number[], seed: number): Tensor {
  const rng = createRng(seed);
  const data = new Float32Array(shape.reduce((a, d) => a * d, 1));
  for (let i = 0; i < data.length; i++) data[i] = rng.next() * 2 - 1;
  return { shape, data };
}

const model = assertValid(
  sequential("W7", [
    input("x", D),
    frameStack("window", { left: CONTEXT }),
    dense("hidden1", { units: HIDDEN, activation: "relu" }),
    dense("hidden2", { units: HIDDEN, activation: "relu" }),
    dense("out", { units: O }),
  ]),
);
const batch = {
  inputs: { x: randomTensor([T, B, D], 2), lengths: new Int32Array(B).fill(T) },
  target: randomTensor([T, B, O], 3),
};
const config = { loss: "mse", optimizer: { kind: "adam", lr: 1e-3 } } as const;
const backends: { name: string; backend: ReturnType<typeof jsBackend> }[] = [];
if (OTHER !== undefined) {
  const other = (await import(OTHER)) as { jsBackend: typeof jsBackend };
  backends.push({ name: `other (${OTHER})`, backend: other.jsBackend() });
}
backends.push({ name: "this tree", backend: jsBackend({ threads: 1 }) }); // as the other tree: one thread
const setups = [];
for (const { name, backend } of backends) {
  const trainer = await backend.trainer(model, initWeights(model, { seed: 1 }), config);
  setups.push({ name, trainer, wall: [] as number[], cpu: [] as number[], loss: 0 });
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s.at(-1)! };
};
const load0 = loadavg()[0]!;
for (let rep = -2; rep < REPS; rep++) {
  for (const s of setups) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const { loss } = await s.trainer.step(batch);
    const wall = performance.now() - t0;
    const cpu = cpuMs(process.cpuUsage(c0));
    s.loss = loss;
    if (rep < 0) continue; // warm-up
    s.wall.push(wall);
    s.cpu.push(cpu);
  }
}
console.log(
  `W7 train step, ${cpus()[0]?.model ?? "?"}, Node ${process.version}; ${REPS} alternating reps after 2 warm-ups; ` +
    `load average ${load0.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}`,
);
for (const s of setups) {
  const w = stats(s.wall);
  const c = stats(s.cpu);
  console.log(
    `${s.name}: wall ${w.median.toFixed(1)} ms (${w.min.toFixed(1)}–${w.max.toFixed(1)}), CPU ${c.median.toFixed(1)} ms ` +
      `(${c.min.toFixed(1)}–${c.max.toFixed(1)}), ${(FLOP / c.median / 1e6).toFixed(1)} GFLOP/s of CPU time; ` +
      `last loss ${s.loss.toFixed(6)}`,
  );
}
for (const s of setups) await s.trainer.dispose();
