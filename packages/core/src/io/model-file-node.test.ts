import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { dense, input, rnn, sequential } from "../ir/builders.js";
import { IrError } from "../ir/errors.js";
import { assertValid } from "../ir/validate.js";
import { initWeights } from "../weights/init.js";
import { ModelFileError, serializeModel } from "./model-file.js";
import { loadModel, saveModel, writeFileAtomic } from "./model-file-node.js";
import { SafetensorsError } from "./safetensors.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "recurrent-model-file-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const graph = sequential("small", [input("x", 3), rnn("lstm", { cell: "lstm", units: 2 }), dense("out", { units: 1 })]);
const weights = initWeights(assertValid(graph), { seed: 1 });

describe("writeFileAtomic", () => {
  test("writes the bytes and leaves no temp file", async () => {
    const path = join(dir, "a.bin");
    await writeFileAtomic(path, Uint8Array.of(1, 2, 3));
    expect(Array.from(await readFile(path))).toEqual([1, 2, 3]);
    expect((await readdir(dir)).filter((f) => f.includes(".tmp"))).toEqual([]);
  });

  test("replaces an existing file completely", async () => {
    const path = join(dir, "b.bin");
    await writeFile(path, new Uint8Array(100).fill(9));
    await writeFileAtomic(path, Uint8Array.of(4, 5));
    expect(Array.from(await readFile(path))).toEqual([4, 5]);
  });

  test("when the final rename fails, the temp file is removed and the target is untouched", async () => {
    const sub = join(dir, "target-is-a-dir");
    const target = join(sub, "model.safetensors");
    await mkdir(target, { recursive: true });
    await writeFile(join(target, "keep.txt"), "kept");
    await expect(writeFileAtomic(target, Uint8Array.of(1))).rejects.toThrow();
    expect((await readdir(sub)).sort()).toEqual(["model.safetensors"]);
    expect(await readFile(join(target, "keep.txt"), "utf8")).toBe("kept");
  });

  test("a missing directory rejects with the file system error and creates nothing", async () => {
    const missing = join(dir, "no-such-dir", "x.bin");
    await expect(writeFileAtomic(missing, Uint8Array.of(1))).rejects.toMatchObject({ code: "ENOENT" });
    expect(await readdir(dir)).not.toContain("no-such-dir");
  });

  test("concurrent writers to one path each leave a complete file (last rename wins)", async () => {
    const path = join(dir, "race.bin");
    const payloads = Array.from({ length: 8 }, (_, i) => new Uint8Array(50_000).fill(i + 1));
    await Promise.all(payloads.map((p) => writeFileAtomic(path, p)));
    const out = await readFile(path);
    expect(out.length).toBe(50_000);
    expect(new Set(out).size).toBe(1);
    expect((await readdir(dir)).filter((f) => f.startsWith(".race.bin"))).toEqual([]);
  });
});

describe("saveModel / loadModel", () => {
  test("round-trip through a file", async () => {
    const path = join(dir, "small.safetensors");
    await saveModel(path, graph, weights, { metadata: { note: "hi" } });
    const loaded = await loadModel(path);
    expect(loaded.metadata).toEqual({ note: "hi" });
    for (const [key, t] of Object.entries(weights)) expect(loaded.weights[key]!.data).toEqual(t.data);
    expect(loaded.model.nodes.map((n) => n.id)).toEqual(["x", "lstm", "out"]);
    expect(Buffer.compare(await readFile(path), serializeModel(graph, weights, { metadata: { note: "hi" } }))).toBe(0);
  });

  test("saving invalid weights writes nothing and keeps the old file", async () => {
    const path = join(dir, "keep.safetensors");
    await saveModel(path, graph, weights);
    const before = await readFile(path);
    const { "out/bias": _, ...broken } = weights;
    await expect(saveModel(path, graph, broken)).rejects.toThrow(IrError);
    expect(Buffer.compare(await readFile(path), before)).toBe(0);
  });

  test("a corrupt file is a SafetensorsError naming the path", async () => {
    const path = join(dir, "corrupt.safetensors");
    await writeFile(path, Uint8Array.of(1, 2, 3));
    const error = await loadModel(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SafetensorsError);
    expect((error as SafetensorsError).code).toBe("TRUNCATED");
    expect((error as SafetensorsError).message).toContain(path);
  });

  test("a safetensors file without a graph is a ModelFileError naming the path", async () => {
    const path = join(dir, "weights-only.safetensors");
    await copyFile(new URL("../../test-fixtures/torch-lstm.safetensors", import.meta.url), path);
    const error = await loadModel(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `));
  });

  test("a missing file rejects with ENOENT", async () => {
    await expect(loadModel(join(dir, "nope.safetensors"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});
