import { assertValid, createRng, dense, initWeights, input, lstm, sequential, stream, type Tensor } from "@recurrent/core";
import { jsBackend } from "../src/index.js";
import { compileProgram } from "../src/engine/program.js";
import { checkFeeds } from "../src/engine/feeds.js";
const [D, H, O] = [39, 128, 39];
const model = assertValid(sequential("w4", [input("x", D), lstm("lstm", { units: H }), dense("out", { units: O })]));
const w = initWeights(model, { seed: 1 });
const exe = (await jsBackend().compile(model, w)) as any;
const prog = compileProgram(model, w, { frozen: true });
const x = { shape: [1, 1, D], data: new Float32Array(D).fill(0.1) };
const h: Tensor = { shape: [1, 1, H], data: new Float32Array(H) };
const feeds = { x, "lstm/h": h, "lstm/c": h };
const fetch = { fetch: ["out", "lstm/h", "lstm/c"] };
const s = stream(exe);
const fr = { shape: [1, D], data: x.data };
const N = 20000;
const bench = async (name: string, fn: () => unknown) => {
  const best: number[] = [];
  for (let r = 0; r < 15; r++) { const t0 = performance.now(); for (let i = 0; i < N; i++) await fn(); best.push(((performance.now() - t0) * 1000) / N); }
  best.sort((a, b) => a - b);
  console.log(name.padEnd(20), "min", best[0]!.toFixed(2), "med", best[7]!.toFixed(2), "µs");
};
await bench("checkFeeds", () => checkFeeds(model, feeds));
await bench("program.forward", () => prog.forward(feeds, { record: false }));
await bench("runSync", () => exe.runSync(feeds, fetch));
await bench("run (await)", () => exe.run(feeds, fetch));
await bench("stream push", () => s.push(fr));
await bench("slice x3", () => { h.data.slice(); h.data.slice(); x.data.slice(); });
