import { jsBackend } from "@recurrent/backend-js";
import { assertValid, dense, frameStack, initWeights, input, rnn, sequential, sequenceDataset, fit, type LayerNode } from "@recurrent/core";
import { loadCorpus } from "@recurrent/speech";

const t0 = performance.now();
const corpus = await loadCorpus();
console.log("load", (performance.now() - t0).toFixed(0), "ms");
const split = corpus.split({ seed: 1 });
const cmvn = corpus.fitCmvn(split.train);
const ids = split.train.slice(0, 60);
const ex = ids.map((id) => ({ x: cmvn.apply(corpus.features(id)).data as Float32Array, y: Int32Array.from(corpus.labels(id).data) }));
const frames = ex.reduce((s, e) => s + e.y.length, 0);
console.log("frames", frames);
const ds = sequenceDataset(ex, { input: "mfcc", features: 39 });
const models: [string, LayerNode[]][] = [
  ["ffn", [input("mfcc", 39), frameStack("win", { left: 20 }), dense("h", { units: 32, activation: "relu" }), dense("out", { units: 40 })]],
  ["lstm", [input("mfcc", 39), rnn("lstm", { cell: "lstm", units: 96 }), dense("out", { units: 40 })]],
  ["blstm", [input("mfcc", 39), rnn("lstm", { cell: "lstm", units: 64, direction: "bidirectional" }), dense("out", { units: 40 })]],
];
for (const [name, layers] of models) {
  const m = assertValid(sequential(name, layers));
  const w = initWeights(m, { seed: 1 });
  const params = Object.values(w).reduce((s, t) => s + t.data.length, 0);
  const tr = await jsBackend().trainer!(m, w, { loss: "softmaxCrossEntropy", optimizer: { kind: "adam", lr: 3e-3 }, clipNorm: 1 });
  const t1 = performance.now();
  const h = await fit(tr, ds, { epochs: 1, batchSize: 8, seed: 1 });
  const dt = performance.now() - t1;
  console.log(name, params, "params", dt.toFixed(0), "ms/epoch", (frames / dt * 1000).toFixed(0), "frames/s", h.epochs[0]!.trainLoss.toFixed(3));
}
