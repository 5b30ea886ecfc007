import { Session } from "node:inspector/promises";
import { writeFileSync } from "node:fs";
import { assertValid, createRng, dense, initWeights, input, lstm, sequential, stream } from "@recurrent/core";
import { jsBackend } from "../src/index.js";
const [D, H, O] = [39, 128, 39];
const model = assertValid(sequential("w4", [input("x", D), lstm("lstm", { units: H }), dense("out", { units: O })]));
const exe = await jsBackend().compile(model, initWeights(model, { seed: 1 }));
const rng = createRng(4);
const frames = Array.from({ length: 1000 }, () => { const d = new Float32Array(D); for (let i = 0; i < D; i++) d[i] = rng.next(); return { shape: [1, D], data: d }; });
const s = stream(exe);
for (let r = 0; r < 3; r++) { s.reset(); for (const f of frames) await s.push(f); }
const session = new Session(); session.connect();
await session.post("HeapProfiler.enable");
await session.post("HeapProfiler.startSampling", { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
for (let r = 0; r < 5; r++) { s.reset(); for (const f of frames) await s.push(f); }
const { profile } = await session.post("HeapProfiler.stopSampling");
writeFileSync("/tmp/h13/alloc.heapprofile", JSON.stringify(profile));
