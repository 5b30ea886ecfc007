import { execFileSync } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { dense, input, rnn, sequential } from "../ir/builders.js";
import { IrError } from "../ir/errors.js";
import { assertValid } from "../ir/validate.js";
import type { Tensor } from "../tensor/tensor.js";
import { initWeights } from "../weights/init.js";
import { ModelFileError, serializeModel } from "./model-file.js";
import { loadModel, saveModel, writeFileAtomic } from "./model-file-node.js";
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from "./safetensors.js";

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

describe("loadModel refuses what is not a bounded regular file, before reading it", () => {
  test("a symlink to /dev/zero is refused as a device (it would otherwise read forever)", async () => {
    const link = join(dir, "zero.safetensors");
    await symlink("/dev/zero", link);
    const error = await loadModel(link).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).code).toBe("NOT_A_FILE");
    expect((error as Error).message).toContain("is a device");
  });

  test("a FIFO is refused instead of blocking", async () => {
    const fifo = join(dir, "pipe.safetensors");
    execFileSync("mkfifo", [fifo]);
    const error = await loadModel(fifo).catch((e: unknown) => e);
    expect((error as ModelFileError).code).toBe("NOT_A_FILE");
    expect((error as Error).message).toContain("FIFO");
  });

  test("a directory is refused by name", async () => {
    const error = await loadModel(dir).catch((e: unknown) => e);
    expect((error as ModelFileError).code).toBe("NOT_A_FILE");
    expect((error as Error).message).toContain("a directory");
  });

  test("a file over maxBytes is refused with its size, and loads when the limit allows it", async () => {
    const path = join(dir, "limit.safetensors");
    await saveModel(path, graph, weights);
    const size = (await readFile(path)).byteLength;
    const error = await loadModel(path, { maxBytes: size - 1 }).catch((e: unknown) => e);
    expect((error as ModelFileError).code).toBe("TOO_LARGE");
    expect((error as Error).message).toContain(`is ${size} bytes, expected at most ${size - 1}`);
    await expect(loadModel(path, { maxBytes: size })).resolves.toBeDefined();
  });

  test("3·10^5 stray zero-size tensors give a short message that counts them (no stack overflow)", async () => {
    const path = join(dir, "stray.safetensors");
    const stray: Record<string, Tensor> = { ...weights };
    for (let i = 0; i < 300_000; i++) stray[`junk/${i}`] = { shape: [0], data: new Float32Array(0) };
    await writeFile(path, serializeModelUnchecked(stray));
    const error = await loadModel(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IrError);
    expect((error as IrError).issues).toHaveLength(300_000);
    expect((error as Error).message.length).toBeLessThan(10_000);
    expect((error as Error).message).toContain("and 299980 more issues");
  });
});

/** The model file format (graph JSON in metadata) around arbitrary tensors, without the checks saveModel does. */
function serializeModelUnchecked(tensors: Record<string, Tensor>): Uint8Array {
  const good = serializeModel(graph, weights);
  const { metadata } = decodeSafetensors(good);
  return encodeSafetensors(tensors, metadata);
}
