/**
 * Throughput of the WebAssembly sigmoid / tanh pass (`$act` of math.wat, exported as `activate`), which the
 * fused time loops run on every gate: ns of CPU time per float over a gate-sized buffer. Timing lives here, never in tests.
 * Run: cd packages/backend-js && node --experimental-wasm-relaxed-simd --conditions=@recurrent/source --import tsx bench/act.ts
 */
import { Arena, instantiateKernels } from "../src/math/wasm/arena.js";

const arena = new Arena(instantiateKernels());
const n = 32 * 128 * 4;
const src = arena.alloc(4 * n);
const dst = arena.alloc(4 * n);
const f32 = arena.f32;
for (let i = 0; i < n; i++) f32[(src >> 2) + i] = Math.sin(i) * 6;
const reps = 2000;
for (const round of [0, 1, 2, 3]) {
  for (const fn of [0, 1] as const) {
    const c0 = process.cpuUsage();
    for (let r = 0; r < reps; r++) arena.kernels.activate(src, dst, n, fn);
    const ns = (process.cpuUsage(c0).user * 1e3) / (reps * n); // CPU time: steadier on a loaded machine
    if (round > 0) console.log(`${fn === 0 ? "sigmoid" : "tanh   "}: ${ns.toFixed(3)} ns/float`);
  }
}
