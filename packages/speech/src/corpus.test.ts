import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import type { SpeechCorpus } from "./corpus.js";
import { SpeechCorpus as Corpus } from "./corpus.js";
import { mfcc } from "./mfcc.js";
import { CORPUS_DIR, corpusAudio, loadCorpus, readPhnFile, readWavFile } from "./node.js";
import { frameLabels } from "./phn.js";
import { NUM_CLASSES, SIL } from "./phones.js";

let corpus: SpeechCorpus;
beforeAll(async () => {
  corpus = await loadCorpus();
});

describe("the embedded corpus", () => {
  test("loads from the committed files: 498 utterances, [T, 39] features and [T] labels", () => {
    expect(corpus.utterances.length).toBe(498);
    expect(corpus.totalFrames).toBe(corpus.utterances.reduce((s, u) => s + u.frames, 0));
    const id = corpus.ids()[0]!;
    const { frames } = corpus.utterance(id);
    expect(corpus.features(id).shape).toEqual([frames, 39]);
    expect(corpus.labels(id).shape).toEqual([frames]);
    const counts = corpus.classCounts();
    expect(counts.length).toBe(NUM_CLASSES);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(corpus.totalFrames);
    expect(counts[SIL]).toBeGreaterThan(0);
  });

  test("the committed recordings give the corpus frames through readWav → mfcc (float16 storage aside)", async () => {
    for (const audio of await corpusAudio()) {
      const source = (JSON.parse(readFileSync(new URL("audio/index.json", CORPUS_DIR), "utf8")) as { source: string[] })
        .source;
      const corpusId = source.find((s) => s.replace(/\//g, "-") === audio.id)!;
      const ours = mfcc((await readWavFile(audio.wav)).samples);
      const stored = corpus.features(corpusId);
      expect(ours.shape).toEqual(stored.shape);
      // statics are float16 (rel. 2^-11); Δ/ΔΔ mix several of them
      let worst = 0;
      ours.data.forEach((v, i) => {
        worst = Math.max(worst, Math.abs(v - stored.data[i]!) / (1 + Math.abs(v)));
      });
      expect(worst).toBeLessThan(1e-2);
      const labels = frameLabels(await readPhnFile(audio.phn), ours.shape[0]!);
      expect([...labels]).toEqual([...corpus.labels(corpusId).data]);
    }
  });

  test("speech frames are louder than silence frames (alignment sanity)", () => {
    let sil = 0;
    let nSil = 0;
    let speech = 0;
    let nSpeech = 0;
    for (const id of corpus.ids()) {
      const f = corpus.features(id).data;
      corpus.labels(id).data.forEach((c, t) => {
        if (c === SIL) {
          sil += f[t * 39]!;
          nSil++;
        } else {
          speech += f[t * 39]!;
          nSpeech++;
        }
      });
    }
    expect(speech / nSpeech - sil / nSil).toBeGreaterThan(4); // natural-log energy: > e^4 ≈ 55× the power
  });

  test("split is deterministic and by utterance; batches are time-major and padded", () => {
    const a = corpus.split({ seed: 7 });
    expect(corpus.split({ seed: 7 })).toEqual(a);
    expect(a.train.length + a.valid.length + a.test.length).toBe(498);
    const cmvn = corpus.fitCmvn(a.train);
    const batches = [...corpus.batches(a.valid, { batchSize: 8, seed: 3, sortByLength: true, normalize: cmvn })];
    expect(batches.reduce((s, b) => s + b.ids.length, 0)).toBe(a.valid.length);
    const first = batches[0]!;
    const [T, B, D] = first.x.shape;
    expect([B, D]).toEqual([8, 39]);
    expect(T).toBe(Math.max(...first.lengths));
    expect(first.labels?.shape).toEqual([T, B]);
    // sample 0's frame 0 in the batch equals the normalized utterance's frame 0
    const norm = cmvn.apply(corpus.features(first.ids[0]!));
    expect([...first.x.data.subarray(0, 39)]).toEqual([...norm.data.subarray(0, 39)]);
    expect([...first.lengths]).toEqual(first.ids.map((id) => corpus.utterance(id).frames));
  });

  test("unknown ids and bad batch sizes are specific errors", () => {
    expect(() => corpus.features("nope")).toThrowError(
      /CORPUS_UNKNOWN_UTTERANCE: corpus "asterisk-en-allison" has no utterance "nope"/,
    );
    expect(() => corpus.batches(corpus.ids(), { batchSize: 0 }).next()).toThrowError(/BATCH_BAD_INPUT/);
  });
});

describe("corpus format checks", () => {
  const dir = fileURLToPath(CORPUS_DIR);
  const manifest = JSON.parse(readFileSync(join(dir, "corpus.json"), "utf8"));
  const features = new Uint8Array(readFileSync(join(dir, "features.f16")));
  const labels = new Uint8Array(readFileSync(join(dir, "labels.u8")));

  test("a damaged data file fails its checksum with CORPUS_FORMAT", async () => {
    const copy = mkdtempSync(join(tmpdir(), "speech-corpus-"));
    copyFileSync(join(dir, "corpus.json"), join(copy, "corpus.json"));
    copyFileSync(join(dir, "features.f16"), join(copy, "features.f16"));
    const bad = labels.slice();
    bad[10] = (bad[10]! + 1) % NUM_CLASSES;
    writeFileSync(join(copy, "labels.u8"), bad);
    await expect(loadCorpus(copy)).rejects.toThrowError(/CORPUS_FORMAT: labels.u8: SHA-256 is .* Git LFS/);
  });

  test("manifest and size mismatches are CORPUS_FORMAT errors naming the field", () => {
    expect(() => Corpus.fromBuffers({ ...manifest, version: 2 }, features, labels)).toThrowError(
      /CORPUS_FORMAT: corpus.json: expected format/,
    );
    expect(() => Corpus.fromBuffers({ ...manifest, classes: ["sil"] }, features, labels)).toThrowError(
      /classes must be the 40-class set/,
    );
    expect(() => Corpus.fromBuffers(manifest, features.subarray(2), labels)).toThrowError(
      /features.f16: has \d+ bytes/,
    );
    const badLabel = labels.slice();
    badLabel[0] = 40;
    expect(() => Corpus.fromBuffers(manifest, features, badLabel)).toThrowError(/labels.u8: frame 0 has class 40/);
  });
});
