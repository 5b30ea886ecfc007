/**
 * Bytes of JavaScript heap allocated per streamed W4 frame (core's `stream()` over backend-js), by allocating
 * function, from V8's sampling heap profiler with collected objects kept. ArrayBuffer backing stores live off
 * the heap and are not counted. Run:
 *   cd packages/backend-js && node --conditions=@recurrent/source --import tsx bench/w4-alloc.ts [top]
 */
import { Session } from "node:inspector/promises";
import { assertValid, createRng, dense, initWeights, input, lstm, sequential, stream } from "@recurrent/core";
import { jsBackend } from "../src/index.js";

interface ProfileNode {
  callFrame: { functionName: string; url: string };
  selfSize: number;
  children: ProfileNode[];
}

const [D, H, O, FRAMES, REPS] = [39, 128, 39, 1000, 5];
const TOP = Number(process.argv[2] ?? 15);
const model = assertValid(sequential("w4", [input("x", D), lstm("lstm", { units: H }), dense("out", { units: O })]));
const s = stream(await jsBackend().compile(model, initWeights(model, { seed: 1 })));
const rng = createRng(4);
const frames = Array.from({ length: FRAMES }, () => {
  const data = new Float32Array(D);
  for (let i = 0; i < D; i++) data[i] = rng.next() * 2 - 1;
  return { shape: [1, D], data };
});
const pushAll = async () => {
  s.reset();
  for (const frame of frames) await s.push(frame);
};
for (let r = 0; r < 3; r++) await pushAll(); // warm-up: compiled code, grown buffers

const session = new Session();
session.connect();
await session.post("HeapProfiler.enable");
await session.post("HeapProfiler.startSampling", {
  samplingInterval: 256,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
for (let r = 0; r < REPS; r++) await pushAll();
const { profile } = (await session.post("HeapProfiler.stopSampling")) as unknown as { profile: { head: ProfileNode } };
session.disconnect();

const bytes = new Map<string, number>();
let total = 0;
const walk = (node: ProfileNode, caller: string) => {
  const { functionName, url } = node.callFrame;
  const name = `${functionName || "(anonymous)"} ${url.split("/").slice(-2).join("/")}`;
  if (node.selfSize > 0) {
    const key = `${name} <- ${caller}`;
    bytes.set(key, (bytes.get(key) ?? 0) + node.selfSize);
    total += node.selfSize;
  }
  for (const child of node.children) walk(child, functionName || "(anonymous)");
};
walk(profile.head, "");
const perFrame = (b: number) => (b / (FRAMES * REPS)).toFixed(0).padStart(6);
console.log(`${perFrame(total)} B/frame in all`);
for (const [key, b] of [...bytes].sort((p, q) => q[1] - p[1]).slice(0, TOP))
  console.log(`${perFrame(b)} B/frame  ${key}`);
