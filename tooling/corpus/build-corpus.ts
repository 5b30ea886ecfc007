/**
 * Step 2 of the corpus build (run by build.sh): turns aligned WAVs into the committed corpus.
 *   tsx build-corpus.ts WORK OUT
 * WORK is align.py's output (wav/, phn/, manifest.json); OUT is packages/speech/data. Features are computed
 * with @recurrent/speech's own MFCC (so the corpus equals what the WAV→MFCC path gives at run time), stored as
 * float16 statics; labels as uint8. Also writes a handful of WAV + .phn pairs, QUALITY.md, README.md and
 * LICENSE, and prints the SHA-256 of every file written.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  encodeFloat16,
  FRAME_LENGTH,
  FRAME_STEP,
  frameLabels,
  MFCC_SAMPLE_RATE,
  NUM_STATIC,
  PHONE_CLASSES,
  parsePhn,
  readWav,
  staticMfcc,
  writePhn,
  writeWav,
} from "../../packages/speech/src/index.js";
import { writeDocs } from "./corpus-docs.js";
import { qualityReport } from "./quality.js";

/** Real recordings committed beside the corpus (≈ 19 s, ≈ 0.6 MB). */
const AUDIO_IDS = [
  "agent-pass",
  "all-circuits-busy-now",
  "check-number-dial-again",
  "conf-invalid",
  "confbridge-unmuted",
  "demo-echodone",
  "digits/7",
];

interface ManifestEntry {
  id: string;
  text: string;
  status: "ok" | "skipped" | "failed";
  reason?: string;
}

const [work, out] = process.argv.slice(2);
if (!work || !out) throw new Error("usage: tsx build-corpus.ts WORK OUT");
const sha = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");
const manifest = JSON.parse(readFileSync(join(work, "manifest.json"), "utf8")) as ManifestEntry[];
const ok = manifest.filter((m) => m.status === "ok");

const statics: Float32Array[] = [];
const labels: Int32Array[] = [];
const utterances: { id: string; text: string; frames: number }[] = [];
for (const m of ok) {
  const wav = readWav(readFileSync(join(work, "wav", `${m.id}.wav`)), { name: m.id });
  if (wav.sampleRate !== MFCC_SAMPLE_RATE || wav.channels !== 1) throw new Error(`${m.id}: not 16 kHz mono`);
  const feats = staticMfcc(wav.samples);
  const frames = feats.shape[0]!;
  const segs = parsePhn(readFileSync(join(work, "phn", `${m.id}.phn`), "utf8"), `${m.id}.phn`);
  statics.push(feats.data);
  labels.push(frameLabels(segs, frames));
  utterances.push({ id: m.id, text: m.text, frames });
}
const total = utterances.reduce((s, u) => s + u.frames, 0);
const allStatics = new Float32Array(total * NUM_STATIC);
const allLabels = new Uint8Array(total);
let at = 0;
statics.forEach((s, i) => {
  allStatics.set(s, at * NUM_STATIC);
  allLabels.set(labels[i]!, at);
  at += labels[i]!.length;
});

mkdirSync(out, { recursive: true });
const written: Record<string, string> = {};
const write = (name: string, data: Uint8Array | string) => {
  writeFileSync(join(out, name), data);
  written[name] = sha(data);
};
const featureBytes = encodeFloat16(allStatics);
write("features.f16", featureBytes);
write("labels.u8", allLabels);
const corpusJson = {
  format: "recurrent-speech-corpus",
  version: 1,
  name: "asterisk-en-allison",
  source:
    "Debian asterisk-core-sounds-en-g722 + asterisk-core-sounds-en (transcripts); © Allison Smith / Digium, CC-BY-SA-3.0",
  sampleRate: MFCC_SAMPLE_RATE,
  frameLength: FRAME_LENGTH,
  frameStep: FRAME_STEP,
  features: { file: "features.f16", dtype: "float16", dim: NUM_STATIC, sha256: written["features.f16"] },
  labels: { file: "labels.u8", dtype: "uint8", sha256: written["labels.u8"] },
  classes: PHONE_CLASSES,
  utterances,
};
write("corpus.json", `${JSON.stringify(corpusJson, null, 1)}\n`);

rmSync(join(out, "audio"), { recursive: true, force: true });
mkdirSync(join(out, "audio"), { recursive: true });
const audioIds: string[] = [];
for (const id of AUDIO_IDS) {
  const file = id.replace(/\//g, "-");
  const wav = readWav(readFileSync(join(work, "wav", `${id}.wav`)));
  const segs = parsePhn(readFileSync(join(work, "phn", `${id}.phn`), "utf8"));
  write(`audio/${file}.wav`, writeWav(wav.samples, wav.sampleRate));
  write(`audio/${file}.phn`, writePhn(segs));
  audioIds.push(file);
}
write("audio/index.json", `${JSON.stringify({ ids: audioIds, source: AUDIO_IDS }, null, 1)}\n`);

write("QUALITY.md", qualityReport({ manifest, utterances, statics: allStatics, labels: allLabels }));
const docs = writeDocs({ written, utterances: utterances.length, frames: total });
for (const [name, text] of Object.entries(docs)) write(name, text);

for (const [name, hash] of Object.entries(written).sort()) console.log(`${hash}  ${name}`);
console.log(`corpus: ${utterances.length} utterances, ${total} frames, features ${featureBytes.length} bytes`);
