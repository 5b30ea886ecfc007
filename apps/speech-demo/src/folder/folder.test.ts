/**
 * The user's folder: label-file parsers on hand-written files, pairing of WAVs and labels, and every bad input
 * of issue #15 with its message: no labels, mismatched names, labels past the end, unknown symbols, and the
 * documented conversions (another rate → 16 kHz, stereo → mono).
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PHONE_CLASSES, resample } from "@recurrent/speech";
import { readWavFile } from "@recurrent/speech/node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { frameClasses, inferLabels, pairFiles, type Recording, readFolder } from "./folder.js";
import { parseCsvLabels, readLabelFile } from "./label-files.js";
import { parseTextGrid, pickTier, writeTextGrid } from "./textgrid.js";

const AUDIO = fileURLToPath(new URL("../../../../packages/speech/data/audio/", import.meta.url));

const LONG = `File type = "ooTextFile"
Object class = "TextGrid"

xmin = 0
xmax = 0.5
tiers? <exists>
size = 2
item []:
    item [1]:
        class = "IntervalTier"
        name = "words"
        xmin = 0
        xmax = 0.5
        intervals: size = 1
        intervals [1]:
            xmin = 0
            xmax = 0.5
            text = "hi"
    item [2]:
        class = "IntervalTier"
        name = "phones"
        xmin = 0
        xmax = 0.5
        intervals: size = 3
        intervals [1]:
            xmin = 0
            xmax = 0.1
            text = ""
        intervals [2]:
            xmin = 0.1
            xmax = 0.25
            text = "hh"
        intervals [3]:
            xmin = 0.25
            xmax = 0.5
            text = "say ""ay"""
`;

const SHORT = `File type = "ooTextFile"
Object class = "TextGrid"

0
0.5
<exists>
1
"IntervalTier"
"phones"
0
0.5
2
0
0.2
"a"
0.2
0.5
"b"
`;

describe("label files", () => {
  test("TextGrid long format: tiers by name, empty intervals are gaps, doubled quotes", () => {
    const tiers = parseTextGrid(LONG, "x.TextGrid");
    expect(tiers.map((t) => t.name)).toEqual(["words", "phones"]);
    expect(pickTier(tiers, "x").intervals).toEqual([
      { start: 0.1, end: 0.25, label: "hh" },
      { start: 0.25, end: 0.5, label: 'say "ay"' },
    ]);
    expect(pickTier(tiers, "x", "words").intervals).toEqual([{ start: 0, end: 0.5, label: "hi" }]);
    expect(() => pickTier(tiers, "x.TextGrid", "syll")).toThrow(
      'x.TextGrid: no interval tier "syll" (interval tiers: "words", "phones")',
    );
  });

  test("TextGrid short format gives the same segments; writeTextGrid reads back", () => {
    const segments = [
      { start: 0, end: 0.2, label: "a" },
      { start: 0.2, end: 0.5, label: "b" },
    ];
    expect(pickTier(parseTextGrid(SHORT, "s"), "s").intervals).toEqual(segments);
    const written = writeTextGrid([{ start: 0.1, end: 0.3, label: "x" }], 0.5);
    expect(pickTier(parseTextGrid(written, "w"), "w").intervals).toEqual([{ start: 0.1, end: 0.3, label: "x" }]);
    expect(() => parseTextGrid("hello", "h.TextGrid")).toThrow("h.TextGrid: TextGrid ends early");
  });

  test("CSV: header optional, seconds, line-numbered errors", () => {
    expect(parseCsvLabels("start,end,label\n0,0.5,a\n# note\n0.5,1.25, b \n", "l.csv")).toEqual([
      { start: 0, end: 0.5, label: "a" },
      { start: 0.5, end: 1.25, label: "b" },
    ]);
    expect(() => parseCsvLabels("0,0.5\n", "l.csv")).toThrow('l.csv:1: expected "start,end,label", found 2 fields');
    expect(() => parseCsvLabels("0,0.5,a\n0.4,0.9,b\n", "l.csv")).toThrow(
      "l.csv:2: segment starts at 0.4 s, before the previous one ends (0.5 s)",
    );
    expect(() => parseCsvLabels("0,0.5,a\nx,1,b\n", "l.csv")).toThrow(
      'l.csv:2: start and end must be times in seconds, found "x" "1"',
    );
  });

  test(".phn sample indices are read at the WAV's own rate", async () => {
    const dir = await mkdtemp(join(tmpdir(), "phn-"));
    await writeFile(join(dir, "a.phn"), "0 4000 sil\n4000 8000 aa\n");
    expect(await readLabelFile(join(dir, "a.phn"), 8000)).toEqual([
      { start: 0, end: 0.5, label: "sil" },
      { start: 0.5, end: 1, label: "aa" },
    ]);
    await rm(dir, { recursive: true });
  });
});

/** A recording stub: `T` frames and segments (only the labels matter to frameClasses). */
function stub(T: number, segments: Recording["segments"]): Recording {
  return {
    id: "u",
    wav: "u.wav",
    labels: "u.csv",
    frames: { shape: [T, 39], data: new Float32Array(0) },
    seconds: 1,
    sampleRate: 16000,
    channels: 1,
    segments,
  };
}

describe("frame labels", () => {
  test("frame t takes the segment holding its centre t·10 ms + 12.5 ms; gaps get the gap label", () => {
    // centres: 12.5, 22.5, 32.5, 42.5, 52.5 ms. "a" covers [0, 30) ms, "b" [40, 100) ms: frame 2 (32.5) is in the gap.
    const r = stub(5, [
      { start: 0, end: 0.03, label: "a" },
      { start: 0.04, end: 0.1, label: "b" },
    ]);
    expect([...frameClasses(r, ["a", "b", "sil"], "sil")]).toEqual([0, 0, 2, 1, 1]);
    expect(inferLabels([r], "sil")).toEqual(["a", "b", "sil"]);
  });

  test("an unknown label is an error naming the file, the symbol and the label set", () => {
    const r = stub(2, [{ start: 0, end: 0.1, label: "zz" }]);
    expect(() => frameClasses(r, ["a", "b"], "sil")).toThrow('u.csv: unknown label "zz"; the labels are a, b');
  });

  test("with the 40 phone classes, TIMIT/ARPAbet spellings are read like phoneIndex (AH0 → ah, h# → sil)", () => {
    const r = stub(2, [
      { start: 0, end: 0.02, label: "h#" },
      { start: 0.02, end: 0.1, label: "AH0" },
    ]);
    // centres 12.5 ms (h#) and 22.5 ms (AH0); sil is class 0, ah class 3
    expect([...frameClasses(r, PHONE_CLASSES, "sil")]).toEqual([0, 3]);
  });
});

describe("the folder", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "speech-folder-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function folder(name: string, files: Record<string, string | "wav">): Promise<string> {
    const d = join(dir, name);
    await mkdir(d, { recursive: true });
    for (const [f, content] of Object.entries(files)) {
      await mkdir(join(d, f, ".."), { recursive: true });
      if (content === "wav") await copyFile(join(AUDIO, "digits-7.wav"), join(d, f));
      else await writeFile(join(d, f), content);
    }
    return d;
  }

  test("pairs WAVs with label files of the same name, in sub-folders too", async () => {
    const d = await folder("ok", {
      "a.wav": "wav",
      "a.phn": "0 100 sil\n",
      "s/b.wav": "wav",
      "s/b.csv": "0,0.1,sil\n",
    });
    expect((await pairFiles(d)).map((p) => p.id)).toEqual(["a", join("s", "b")]);
  });

  test("no WAV, no labels, and names that do not pair up are errors saying what to do", async () => {
    await expect(pairFiles(await folder("empty", { "x.txt": "" }))).rejects.toThrow("no .wav files in the folder");
    await expect(pairFiles(await folder("nolabels", { "a.wav": "wav" }))).rejects.toThrow(
      "1 WAV files but no labels; put a .phn, .TextGrid, .csv file of the same name beside each WAV",
    );
    await expect(pairFiles(await folder("mismatch", { "a.wav": "wav", "b.phn": "0 1 sil\n" }))).rejects.toThrow(
      "names do not pair up (a.wav needs a.phn, a.TextGrid or a.csv). WAV files without a label file: a.wav; label files without a WAV: b.phn",
    );
  });

  test("labels past the end of the audio name both times", async () => {
    // digits-7.wav: 13122 samples at 16 kHz = 0.820 s.
    const d = await folder("past", { "a.wav": "wav", "a.csv": "0,0.5,sil\n0.5,1.3,n\n" });
    await expect(readFolder(d)).rejects.toThrow('a.csv: labels run to 1.300 s ("n") but');
    await expect(readFolder(d)).rejects.toThrow("lasts 0.820 s");
  });

  test("a stereo WAV at 8 kHz is mixed to mono and resampled to 16 kHz (the documented conversions)", async () => {
    const { samples } = await readWavFile(join(AUDIO, "digits-7.wav"));
    const mono8k = resample(samples, 16000, 8000);
    const d = await folder("stereo", { "a.phn": "0 6561 sil\n" });
    await writeFile(join(d, "a.wav"), stereoWav(mono8k, 8000));
    const [r] = await readFolder(d);
    expect(r).toMatchObject({ sampleRate: 8000, channels: 2 });
    expect(r!.seconds).toBeCloseTo(mono8k.length / 8000, 3);
    expect(r!.frames.shape[1]).toBe(39);
  });
});

/** A 16-bit PCM stereo WAV with the same signal in both channels. */
function stereoWav(mono: Float32Array, rate: number): Uint8Array {
  const n = mono.length;
  const buf = new DataView(new ArrayBuffer(44 + n * 4));
  const tag = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) buf.setUint8(at + i, s.charCodeAt(i));
  };
  tag(0, "RIFF");
  buf.setUint32(4, 36 + n * 4, true);
  tag(8, "WAVE");
  tag(12, "fmt ");
  buf.setUint32(16, 16, true);
  buf.setUint16(20, 1, true);
  buf.setUint16(22, 2, true);
  buf.setUint32(24, rate, true);
  buf.setUint32(28, rate * 4, true);
  buf.setUint16(32, 4, true);
  buf.setUint16(34, 16, true);
  tag(36, "data");
  buf.setUint32(40, n * 4, true);
  for (let i = 0; i < n; i++) {
    const v = Math.max(-32768, Math.min(32767, Math.round(mono[i]! * 32767)));
    buf.setInt16(44 + i * 4, v, true);
    buf.setInt16(46 + i * 4, v, true);
  }
  return new Uint8Array(buf.buffer);
}
