import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertValid, dense, initWeights, input, lstm, sequential } from "@recurrent/core";
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
    expect(r.out).toMatch(/recurrent-onnx triton-config <model\.onnx>/);
  });

  test.each([
    [[], /missing command/],
    [["convert", "a", "b"], /unknown command "convert"; expected "export" or "triton-config"/],
    [["export", "a"], /needs an input and an output path/],
    [["export", "a", "b", "c"], /unexpected argument "c"/],
    [["export", "a", "b", "--opset", "x17"], /--opset must be an integer ≥ 0, got "x17"/],
    [["export", "a", "b", "--max-batch", "4"], /--max-batch does not apply to export/],
    [["triton-config"], /triton-config needs an ONNX file/],
    [["triton-config", "m.onnx", "--opset", "17"], /--opset does not apply to triton-config/],
    [["triton-config", "m.onnx", "--max-batch", "1.5"], /--max-batch must be an integer ≥ 0, got "1.5"/],
    [["triton-config", "m.onnx", "--instances", "0"], /--instances must be an integer ≥ 1, got "0"/],
    [["triton-config", "m.onnx", "--name", "a/b"], /--name must be a folder name/],
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
    expect(r.out).toMatch(/\(\d+ bytes, opset 17, IR 8\); inputs: x, lengths; outputs: out$/);
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

  test("refuses to overwrite its own input, by path or through a link, and leaves it intact", async () => {
    const before = readFileSync(modelFile);
    const link = join(dir, "link.safetensors");
    symlinkSync(modelFile, link);
    for (const output of [modelFile, join(dir, ".", "m.safetensors"), link]) {
      const r = await cli("export", modelFile, output);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/".*\.safetensors" is the input file; refusing to overwrite it, choose another path/);
    }
    expect(readFileSync(modelFile).equals(before)).toBe(true);
  });

  test("checks the output before loading the model: a directory, a missing folder", async () => {
    const bad = join(dir, "unreadable.safetensors");
    writeFileSync(bad, "not a model");
    mkdirSync(join(dir, "out.onnx"));
    const directory = await cli("export", bad, join(dir, "out.onnx"));
    expect([directory.code, directory.err]).toEqual([
      1,
      expect.stringMatching(/".*out\.onnx" is a directory; expected a file path$/),
    ]);
    const missing = await cli("export", bad, join(dir, "no-such-dir", "m.onnx"));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/cannot write ".*no-such-dir.*m\.onnx": folder ".*no-such-dir" does not exist$/);
  });

  test("prints the state pairs of a recurrent model", async () => {
    const rnnFile = join(dir, "rnn.safetensors");
    const graph = sequential("r", [input("x", 2), lstm("l", { units: 3 }), dense("out", { units: 1 })]);
    await saveModel(rnnFile, graph, initWeights(assertValid(graph), { seed: 1 }));
    const r = await cli("export", rnnFile, join(dir, "rnn.onnx"));
    expect([r.code, r.err]).toEqual([0, ""]);
    expect(r.out).toMatch(
      /inputs: x, lengths, l\/h_0, l\/c_0; outputs: out, l\/h, l\/c; states: l\/h_0 → l\/h, l\/c_0 → l\/c$/,
    );
  });
});
