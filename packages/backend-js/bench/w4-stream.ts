/**
 * W4's per-call overhead: the streaming loop of apps/bench (core's `stream()` pushing one `[1, D]` frame per
 * call, states carried) and the bare `exe.run` loop with the states fed back by hand, alternating, each
 * repetition of 1000 frames after a forced GC when run with --expose-gc (as apps/bench does). Prints µs/frame.
 * Run: cd packages/backend-js && node [--expose-gc] --conditions=@recurrent/source --import tsx bench/w4-stream.ts [reps]
 */
import { loadavg } from "node:os";
import {
  assertValid,
  createRng,
  dense,
  initWeights,
  input,
  lstm,
  sequential,
  stream,
  type Tensor,
} from "@recurrent/core";
import { jsBackend } from "../src/index.js";

const [D, H, O, FRAMES] = [39, 128, 39, 1000];
const REPS = Number(process.argv[2] ?? 30);
const model = assertValid(sequential("w4", [input("x", D), lstm("lstm", { units: H }), dense("out", { units: O })]));
const exe = await jsBackend().compile(model, initWeights(model, { seed: 1 }));
const rng = createRng(4);
const frames = Array.from({ length: FRAMES }, () => {
  const data = new Float32Array(D);
  for (let i = 0; i < D; i++) data[i] = rng.next() * 2 - 1;
  return { shape: [1, D], data };
});

const s = stream(exe);
async function viaStream(): Promise<number> {
  s.reset();
  const t0 = performance.now();
  for (const frame of frames) await s.push(frame);
  return ((performance.now() - t0) * 1000) / FRAMES;
}
async function viaRun(): Promise<number> {
  let h: Tensor = { shape: [1, 1, H], data: new Float32Array(H) };
  let c: Tensor = { shape: [1, 1, H], data: new Float32Array(H) };
  const fetch = ["out", "lstm/h", "lstm/c"];
  const lengths = Int32Array.of(1); // one frame per call, as stream() feeds it
  const t0 = performance.now();
  for (const frame of frames) {
    const out = await exe.run(
      { x: { shape: [1, 1, D], data: frame.data }, lengths, "lstm/h": h, "lstm/c": c },
      { fetch },
    );
    h = out["lstm/h"]!;
    c = out["lstm/c"]!;
  }
  return ((performance.now() - t0) * 1000) / FRAMES;
}

const a: number[] = [];
const b: number[] = [];
const load0 = loadavg()[0]!;
const gc = (globalThis as { gc?: () => void }).gc;
for (let rep = -3; rep < REPS; rep++) {
  gc?.();
  const x = await viaStream();
  const y = await viaRun();
  if (rep >= 0) {
    a.push(x);
    b.push(y);
  }
}
const fmt = (xs: number[]) => {
  const s = [...xs].sort((p, q) => p - q);
  return `median ${s[Math.floor(s.length / 2)]!.toFixed(1)} / min ${s[0]!.toFixed(1)} µs/frame`;
};
console.log(`W4 stream().push: ${fmt(a)}; exe.run: ${fmt(b)}; load ${load0.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}`);
