/**
 * @recurrent/speech/node — Node-only file helpers: WAV and `.phn` files, the embedded corpus and its audio.
 * A separate entry so that the main entry has no `node:` import and bundles for browsers as is.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { SpeechCorpus } from "./corpus.js";
import { SpeechError } from "./errors.js";
import { type PhoneSegment, parsePhn } from "./phn.js";
import { readWav, type WavAudio } from "./wav.js";

/** The folder of the embedded corpus (`packages/speech/data/`), next to `src/` and `dist/`. */
export const CORPUS_DIR: URL = new URL("../data/", import.meta.url);

function toPath(dir: string | URL, file: string): string | URL {
  if (typeof dir === "string") return join(dir, file);
  return new URL(file, dir.href.endsWith("/") ? dir : new URL(`${dir.href}/`));
}

/**
 * Reads and decodes a WAV file (see `readWav`).
 * @throws SpeechError `WAV_*` codes from `readWav`; Node's error when the file cannot be read.
 */
export async function readWavFile(path: string | URL): Promise<WavAudio> {
  const bytes = await readFile(path);
  return readWav(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { name: String(path) });
}

/**
 * Reads a TIMIT-style `.phn` file (see `parsePhn`).
 * @throws SpeechError `PHN_PARSE`; Node's error when the file cannot be read.
 */
export async function readPhnFile(path: string | URL): Promise<PhoneSegment[]> {
  return parsePhn(await readFile(path, "utf8"), String(path));
}

/**
 * Loads a corpus folder (default: the embedded corpus): `corpus.json` plus the two data files it names, whose
 * SHA-256 is checked against the manifest (this catches Git LFS pointers and partial checkouts).
 * @throws SpeechError `CORPUS_FORMAT` for a bad manifest, a checksum mismatch or wrong sizes; Node's error
 *   (ENOENT…) when a file is missing.
 */
export async function loadCorpus(dir: string | URL = CORPUS_DIR): Promise<SpeechCorpus> {
  const manifest = JSON.parse(await readFile(toPath(dir, "corpus.json"), "utf8")) as {
    features?: { file?: string; sha256?: string };
    labels?: { file?: string; sha256?: string };
  };
  const read = async (entry: { file?: string; sha256?: string } | undefined, what: string) => {
    if (typeof entry?.file !== "string" || typeof entry.sha256 !== "string") {
      throw new SpeechError("CORPUS_FORMAT", `corpus.json: "${what}" needs "file" and "sha256" strings`);
    }
    const buf = await readFile(toPath(dir, entry.file));
    const sha = createHash("sha256").update(buf).digest("hex");
    if (sha !== entry.sha256) {
      throw new SpeechError(
        "CORPUS_FORMAT",
        `${entry.file}: SHA-256 is ${sha}, corpus.json expects ${entry.sha256}; the file is damaged or a Git LFS pointer (hint: git lfs pull, or rebuild with tooling/corpus/build.sh)`,
      );
    }
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  };
  return SpeechCorpus.fromBuffers(
    manifest,
    await read(manifest.features, "features"),
    await read(manifest.labels, "labels"),
  );
}

/** A real 16 kHz recording committed beside the corpus, with its alignment. */
export interface CorpusAudio {
  readonly id: string;
  readonly wav: string | URL;
  readonly phn: string | URL;
}

/**
 * The WAV + `.phn` pairs committed under `data/audio/` (listed in `data/audio/index.json`).
 * @throws SpeechError `CORPUS_FORMAT` when the index is malformed.
 */
export async function corpusAudio(dir: string | URL = CORPUS_DIR): Promise<CorpusAudio[]> {
  const index = JSON.parse(await readFile(toPath(dir, "audio/index.json"), "utf8")) as { ids?: unknown };
  if (!Array.isArray(index.ids) || !index.ids.every((x) => typeof x === "string")) {
    throw new SpeechError("CORPUS_FORMAT", 'audio/index.json: expected { "ids": string[] }');
  }
  const out: CorpusAudio[] = [];
  for (const id of index.ids as string[]) {
    out.push({ id, wav: toPath(dir, `audio/${id}.wav`), phn: toPath(dir, `audio/${id}.phn`) });
  }
  return out;
}
