import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertValid, dense, initWeights, input, sequential } from "@recurrent/core";
import { saveModel } from "@recurrent/core/node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { main } from "./cli.js";

const dir = mkdtempSync(join(tmpdir(), "recurrent-onnx-cli-"));
const modelFile = join(dir, "m.safetensors");
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  const graph = sequential("m", [input("x", 2), dense("out", { units: 1 })]);
  await saveModel(modelFile, graph, initWeights(assertValid(graph), { seed: 1 }));
});

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("recurrent-onnx", () => {
  test("--help prints the usage", async () => {
    const r = await cli("--help");
    expect([r.code, r.out]).toEqual([0, expect.stringMatching(/^usage: recurrent-onnx export/)]);
  });

  test.each([
    [[], /missing command/],
    [["convert", "a", "b"], /unknown command "convert"/],
    [["export", "a"], /needs an input and an output path/],
    [["export", "a", "b", "c"], /unexpected argument "c"/],
    [["export", "a", "b", "--opset", "x17"], /--opset must be an integer, got "x17"/],
    [["export", "a", "b", "--opset", "27"], /--opset 27 is out of range.*17\.\.26/],
    [["export", "a", "b", "--fast"], /Unknown option '--fast'/],
  ])("usage error %j", async (argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).toMatch(/usage:/);
  });

  test("writes the ONNX file atomically, replacing an old one, leaving no temp file", async () => {
    const target = join(dir, "ok.onnx");
    writeFileSync(target, "old");
    const r = await cli("export", modelFile, target);
    expect([r.code, r.err]).toEqual([0, ""]);
    expect(r.out).toMatch(/\(278 bytes, opset 17, IR 8\); inputs: x, lengths; outputs: out$/);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect([...readFileSync(target).subarray(0, 2)]).toEqual([0x08, 8]);
  });

  test("a missing model file is reported with its path, nothing is written", async () => {
    const target = join(dir, "missing.onnx");
    const r = await cli("export", join(dir, "nope.safetensors"), target);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot load model file ".*nope\.safetensors": ENOENT/);
    expect(existsSync(target)).toBe(false);
  });

  test("a malformed model file is reported with its path, nothing is written", async () => {
    const bad = join(dir, "bad.safetensors");
    writeFileSync(bad, "this is not a safetensors file");
    const target = join(dir, "bad.onnx");
    const r = await cli("export", bad, target);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot load model file ".*bad\.safetensors": .*bad\.safetensors/);
    expect(existsSync(target)).toBe(false);
  });

  test("an unwritable output is reported", async () => {
    const r = await cli("export", modelFile, join(dir, "no-such-dir", "m.onnx"));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot write ".*no-such-dir.*m\.onnx": ENOENT/);
  });
});
