import { jsBackend } from "@recurrent/backend-js";
import { assertValid, dense, frameStack, initWeights, input, rnn, sequential, sequenceDataset, type LayerNode, padSequences } from "@recurrent/core";
import { loadCorpus } from "@recurrent/speech";

const corpus = await loadCorpus();
const split = corpus.split({ seed: 1 });
const cmvn = corpus.fitCmvn(split.train);
const CH = Number(process.env.CH ?? 100), BS = Number(process.env.BS ?? 8), LR = Number(process.env.LR ?? 5e-3);
const chunks: { x: Float32Array; y: Int32Array }[] = [];
for (const id of split.train) {
  const x = cmvn.apply(corpus.features(id)).data as Float32Array; const y = corpus.labels(id).data;
  for (let s = 0; s < y.length; s += CH) { const e = Math.min(y.length, s + CH); chunks.push({ x: x.slice(s * 39, e * 39), y: Int32Array.from(y.subarray(s, e)) }); }
}
console.log("chunks", chunks.length, "trainutts", split.train.length);
const valid = split.valid.slice(0, 30).map((id) => ({ x: cmvn.apply(corpus.features(id)).data as Float32Array, y: corpus.labels(id).data }));
const vb = padSequences(valid.map((v) => v.x), 39);
const name = process.env.M ?? "lstm";
const zoo: Record<string, LayerNode[]> = {
  ffn: [input("mfcc", 39), frameStack("win", { left: 20 }), dense("h", { units: 18, activation: "relu" }), dense("out", { units: 40 })],
  lstm: [input("mfcc", 39), rnn("lstm", { cell: "lstm", units: 64 }), dense("out", { units: 40 })],
  blstm: [input("mfcc", 39), rnn("lstm", { cell: "lstm", units: 44, direction: "bidirectional" }), dense("out", { units: 40 })],
};
const m = assertValid(sequential(name, zoo[name]!));
const w = initWeights(m, { seed: 1 });
console.log(name, Object.values(w).reduce((s, t) => s + t.data.length, 0));
const tr = await jsBackend().trainer!(m, w, { loss: "softmaxCrossEntropy", optimizer: { kind: "adam", lr: LR }, clipNorm: 5 });
const ds = sequenceDataset(chunks, { input: "mfcc", features: 39 });
let order = [...chunks.keys()];
const t0 = performance.now();
for (let step = 0; step <= 400; step++) {
  if (step % 50 === 0) {
    const exe = await jsBackend().compile(m, tr.weights());
    const out = (await exe.run({ mfcc: vb.x, lengths: vb.lengths })).out!;
    const [T, B] = vb.x.shape as number[]; let ok = 0, n = 0;
    for (let b = 0; b < B!; b++) for (let t = 0; t < vb.lengths[b]!; t++) { const o = (t * B! + b) * 40; let best = 0; for (let c = 1; c < 40; c++) if (out.data[o + c]! > out.data[o + best]!) best = c; if (best === valid[b]!.y[t]) ok++; n++; }
    console.log(step, "acc", (ok / n).toFixed(3), ((performance.now() - t0) / 1000).toFixed(1), "s");
  }
  const idx = Array.from({ length: BS }, () => Math.floor(Math.random() * chunks.length));
  await tr.step(ds.batch(idx));
}
