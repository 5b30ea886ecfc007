import { describe, expect, test } from "vitest";
import { BenchArgsError, parseArgs, recordedCommand } from "./args.js";

function argsError(argv: string[]): BenchArgsError {
  try {
    parseArgs(argv);
  } catch (err) {
    if (err instanceof BenchArgsError) return err;
    throw err;
  }
  throw new Error(`parseArgs(${argv.join(" ")}) did not throw`);
}

describe("parseArgs", () => {
  test("a full run measures every workload on every system and records", () => {
    const o = parseArgs([]);
    expect(o).toMatchObject({ quick: false, record: true, verbose: false, help: false });
    expect(o.workloads).toEqual(["W1", "W2", "W3", "W4", "W5", "W6", "W7"]);
    expect(o.scaling).toBe(true);
    expect(o.systems).toEqual([
      "js",
      "js-2t",
      "torch-1",
      "torch-2",
      "tfjs-layers-cpu",
      "tfjs-layers-wasm",
      "ort",
      "onnx",
      "tfjs-cpu",
      "tfjs-wasm",
      "brain",
      "js-chromium",
    ]);
  });

  test("--quick defaults to the systems the targets need and does not record", () => {
    const o = parseArgs(["--quick"]);
    expect(o.quick).toBe(true);
    expect(o.record).toBe(false);
    expect(o.scaling).toBe(false);
    expect(o.systems).toEqual(["js", "js-2t", "torch-1", "torch-2", "tfjs-layers-cpu", "tfjs-layers-wasm", "ort"]);
  });

  test("--scaling adds the grid to a quick run, --no-scaling drops it from a full one; --note is kept", () => {
    expect(parseArgs(["--quick", "--scaling"]).scaling).toBe(true);
    expect(parseArgs(["--no-scaling"]).scaling).toBe(false);
    expect(parseArgs(["--note", "shared machine"]).note).toBe("shared machine");
    expect(parseArgs(["--note=load 7"]).note).toBe("load 7");
    expect(parseArgs([]).note).toBeUndefined();
    expect(argsError(["--note"]).code).toBe("MISSING_VALUE");
  });

  test("--rounds takes a whole number from 1 to 20 (default 1)", () => {
    expect(parseArgs([]).rounds).toBe(1);
    expect(parseArgs(["--rounds", "3"]).rounds).toBe(3);
    for (const bad of ["0", "21", "1.5", "x", "-1"]) {
      const err = argsError([`--rounds=${bad}`]);
      expect(err.code).toBe("BAD_VALUE");
      expect(err.message).toBe(`--rounds: expected a whole number from 1 to 20, got "${bad}"`);
    }
  });

  test("--record makes a quick run record; --no-record stops a full one", () => {
    expect(parseArgs(["--quick", "--record"]).record).toBe(true);
    expect(parseArgs(["--no-record"]).record).toBe(false);
  });

  test("--only and --systems take a list, in either spelling, and keep the canonical order", () => {
    const o = parseArgs(["--only", "W3,W1", "--systems=ort,js"]);
    expect(o.workloads).toEqual(["W1", "W3"]);
    expect(o.systems).toEqual(["js", "ort"]);
    expect(parseArgs(["--only=W4"]).workloads).toEqual(["W4"]);
  });

  test("--systems overrides the quick default set", () => {
    expect(parseArgs(["--quick", "--systems", "brain"]).systems).toEqual(["brain"]);
  });

  test("a literal -- (forwarded by pnpm) is ignored; --help and --verbose are flags", () => {
    expect(parseArgs(["--", "--quick", "--verbose", "-h"])).toMatchObject({ quick: true, verbose: true, help: true });
  });

  test("an unknown flag is UNKNOWN_FLAG and names it", () => {
    const err = argsError(["--fast"]);
    expect(err.code).toBe("UNKNOWN_FLAG");
    expect(err.message).toMatch(/"--fast"/);
  });

  test("a list flag without a value is MISSING_VALUE", () => {
    expect(argsError(["--only"]).code).toBe("MISSING_VALUE");
    expect(argsError(["--systems", "--quick"]).code).toBe("MISSING_VALUE");
  });

  test("an unknown workload or system is BAD_VALUE and lists the accepted ids", () => {
    const w = argsError(["--only", "W1,W9"]);
    expect(w.code).toBe("BAD_VALUE");
    expect(w.message).toMatch(/unknown "W9".*W1, W2, W3, W4, W5/);
    const s = argsError(["--systems", "pytorch"]);
    expect(s.code).toBe("BAD_VALUE");
    expect(s.message).toMatch(/unknown "pytorch".*tfjs-layers-cpu/);
    expect(argsError(["--only", ","]).code).toBe("BAD_VALUE");
  });
});

describe("recordedCommand", () => {
  test("elides the note's text, which results.md prints on its own line", () => {
    expect(recordedCommand(["--quick", "--note", "shared machine", "--record"])).toBe(
      "pnpm bench --quick --note … --record",
    );
    expect(recordedCommand(["--note=load 7"])).toBe("pnpm bench --note=…");
    expect(recordedCommand([])).toBe("pnpm bench");
  });
});
