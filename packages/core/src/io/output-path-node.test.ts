import { chmod, link, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { checkOutputFile, type OutputPathErrorCode } from "./output-path-node.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "recurrent-output-path-"));
  await writeFile(join(dir, "model.safetensors"), "weights");
});
afterAll(async () => {
  await chmod(join(dir, "locked"), 0o755).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

async function codeOf(check: Promise<void>): Promise<OutputPathErrorCode | "ok"> {
  try {
    await check;
    return "ok";
  } catch (error) {
    return (error as { code: OutputPathErrorCode }).code;
  }
}

describe("checkOutputFile", () => {
  test("a new or existing file in a writable folder is fine", async () => {
    expect(await codeOf(checkOutputFile(join(dir, "new.onnx")))).toBe("ok");
    expect(await codeOf(checkOutputFile(join(dir, "model.safetensors")))).toBe("ok");
  });

  test("the command's own input is refused: by path, through a symlink and through a hard link", async () => {
    const input = join(dir, "model.safetensors");
    await symlink(input, join(dir, "alias.safetensors"));
    await link(input, join(dir, "hard.safetensors"));
    for (const output of [
      input,
      join(dir, ".", "model.safetensors"),
      join(dir, "alias.safetensors"),
      join(dir, "hard.safetensors"),
    ]) {
      await expect(checkOutputFile(output, { inputs: [input] })).rejects.toThrow(
        /is the input file; refusing to overwrite it/,
      );
    }
  });

  test("a directory, a missing folder, a file used as a folder and a 256-byte name are refused by code", async () => {
    expect(await codeOf(checkOutputFile(dir))).toBe("IS_DIRECTORY");
    expect(await codeOf(checkOutputFile(join(dir, "missing", "m.onnx")))).toBe("NO_FOLDER");
    expect(await codeOf(checkOutputFile(join(dir, "model.safetensors", "m.onnx")))).toBe("NO_FOLDER");
    expect(await codeOf(checkOutputFile(join(dir, `${"a".repeat(251)}.onnx`)))).toBe("NAME_TOO_LONG");
    expect(await codeOf(checkOutputFile(join(dir, `${"a".repeat(250)}.onnx`)))).toBe("ok");
  });

  test("with createFolders, missing folders are fine when the nearest existing one is writable", async () => {
    expect(await codeOf(checkOutputFile(join(dir, "a", "b", "m.onnx"), { createFolders: true }))).toBe("ok");
  });

  // Root may write anywhere, so a read-only folder cannot be made for root; the other codes still run.
  const root = process.getuid?.() === 0;
  test.skipIf(root)("a read-only folder is NOT_WRITABLE (skipped as root: root bypasses permissions)", async () => {
    const locked = join(dir, "locked");
    await mkdir(locked);
    await chmod(locked, 0o555);
    expect(await codeOf(checkOutputFile(join(locked, "m.onnx")))).toBe("NOT_WRITABLE");
    expect(await codeOf(checkOutputFile(join(locked, "sub", "m.onnx"), { createFolders: true }))).toBe("NOT_WRITABLE");
  });
});
