import { assertValid, createRng, dense, initWeights, input, lstm, sequential, stream } from "@recurrent/core";
import { jsBackend } from "../src/index.js";
const [D, H, O] = [39, 128, 39];
const model = assertValid(sequential("w4", [input("x", D), lstm("lstm", { units: H }), dense("out", { units: O })]));
const exe = await jsBackend().compile(model, initWeights(model, { seed: 1 }));
const rng = createRng(4);
const frames = Array.from({ length: 1000 }, () => { const d = new Float32Array(D); for (let i = 0; i < D; i++) d[i] = rng.next(); return { shape: [1, D], data: d }; });
const s = stream(exe);
const gc = (globalThis as any).gc;
const mins = [Array(10).fill(1e9), Array(10).fill(1e9)];
const meds: number[][][] = [Array.from({length:10},()=>[]), Array.from({length:10},()=>[])];
for (let r = 0; r < 60; r++) {
  const g = r % 2;
  if (g) gc();
  s.reset();
  let t0 = performance.now();
  for (let i = 0; i < 1000; i++) { await s.push(frames[i]!); if (i % 100 === 99) { const t = performance.now(); const k = (i / 100) | 0; mins[g]![k] = Math.min(mins[g]![k], (t - t0) * 10); meds[g]![k]!.push((t - t0) * 10); t0 = t; } }
}
const med = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;
console.log("no gc min ", mins[0]!.map((x) => x.toFixed(0)).join(" "), " med", meds[0]!.map((x) => med(x).toFixed(0)).join(" "));
console.log("gc    min ", mins[1]!.map((x) => x.toFixed(0)).join(" "), " med", meds[1]!.map((x) => med(x).toFixed(0)).join(" "));
