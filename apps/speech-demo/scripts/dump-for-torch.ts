/**
 * Writes the speech demo's corpus split and its whole-utterance batch plans for PyTorch
 * (`tooling/speech-torch/train_reference.py`): the same training / validation / test utterances as `train --data corpus`, the raw
 * MFCC-39 frames (float32, not normalized), the phone class of every frame (int32), and, per seed, the
 * length-bucketed batches of every epoch exactly as `fit()` draws them (`lengthBuckets`, batch size 16).
 *
 * Run from apps/speech-demo (it resolves the workspace packages there):
 *   node --conditions=@recurrent/source --import tsx scripts/dump-for-torch.ts OUT_DIR [epochs] [seeds]
 * Writes OUT_DIR/frames.f32, OUT_DIR/labels.i32 and OUT_DIR/index.json.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { lengthBuckets } from "@recurrent/core";
import { loadSource } from "../src/folder/sources.js";

const [out = "/tmp/speech-torch", epochsArg = "15", seedsArg = "1,2"] = process.argv.slice(2);
const epochs = Number(epochsArg);
const seeds = seedsArg.split(",").map(Number);
const source = await loadSource({ data: "corpus", gapLabel: "sil", valid: 0.1, seed: 1 });
const all = [...source.train, ...source.valid, ...source.test];
const frames = new Float32Array(all.reduce((n, u) => n + u.frames.data.length, 0));
const labels = new Int32Array(all.reduce((n, u) => n + u.y.length, 0));
let f = 0;
let l = 0;
const utterances = all.map((u) => {
  frames.set(u.frames.data, f * 39);
  labels.set(u.y, f);
  const entry = { id: u.id, offset: f, length: u.y.length };
  f += u.y.length;
  l += u.y.length;
  return entry;
});
if (l !== f) throw new Error(`frames ${f} and labels ${l} disagree`);
const lengths = source.train.map((u) => u.y.length);
const plans: Record<string, number[][][]> = {};
for (const seed of seeds) {
  const plan = lengthBuckets(lengths, { batchSize: 16, seed });
  plans[String(seed)] = Array.from({ length: epochs }, (_, e) => plan(e));
}
await mkdir(out, { recursive: true });
await writeFile(join(out, "frames.f32"), Buffer.from(frames.buffer));
await writeFile(join(out, "labels.i32"), Buffer.from(labels.buffer));
const n = { train: source.train.length, valid: source.valid.length, test: source.test.length };
await writeFile(
  join(out, "index.json"),
  JSON.stringify({ labels: source.labels, utterances, split: n, batchSize: 16, plans }),
);
console.log(
  `wrote ${out}: ${n.train} train, ${n.valid} valid, ${n.test} test utterances, ${f} frames; plans for seeds ${seeds.join(",")}`,
);
