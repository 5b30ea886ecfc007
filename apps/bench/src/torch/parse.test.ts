import { describe, expect, test } from "vitest";
import { parseTorchLine, TorchOutputError } from "./parse.js";

const ok = {
  status: "ok",
  system: "torch-1",
  workload: "W1",
  samples: [41.2, 40.9],
  warmups: 2,
  size: 100,
  peakRssMiB: 245.5,
  detail: "torch 1.13.0, 1 thread(s)",
};
const line = (result: object) => JSON.stringify({ type: "result", result });

function outputError(text: string): TorchOutputError {
  try {
    parseTorchLine(text);
  } catch (err) {
    if (err instanceof TorchOutputError) return err;
    throw err;
  }
  throw new Error(`parseTorchLine(${text}) did not throw`);
}

describe("parseTorchLine", () => {
  test("reads a measured result with its RSS and detail", () => {
    expect(parseTorchLine(line(ok))).toEqual({ type: "result", result: ok });
  });

  test("reads progress and failed results; RSS and detail are optional", () => {
    expect(parseTorchLine('{"type": "progress", "text": "PyTorch 1 thread W1: preparing"}')).toEqual({
      type: "progress",
      text: "PyTorch 1 thread W1: preparing",
    });
    const failed = { status: "failed", system: "torch-2", workload: "W7", reason: "RuntimeError: boom" };
    expect(parseTorchLine(line(failed))).toEqual({ type: "result", result: failed });
    const { peakRssMiB: _, detail: __, ...bare } = ok;
    expect(parseTorchLine(`  ${line(bare)}  `)).toEqual({ type: "result", result: bare });
  });

  test("a line that is not a JSON object (a PyTorch warning) is not a message", () => {
    expect(parseTorchLine("UserWarning: something")).toBeUndefined();
    expect(parseTorchLine("")).toBeUndefined();
    expect(parseTorchLine("{not json")).toBeUndefined();
  });

  test.each([
    [{ ...ok, samples: [] }, "samples"],
    [{ ...ok, samples: [1, Number.NaN] }, "samples"],
    [{ ...ok, samples: "1" }, "samples"],
    [{ ...ok, warmups: 1.5 }, "warm-up"],
    [{ ...ok, size: 0 }, "size"],
    [{ ...ok, peakRssMiB: "big" }, "peak RSS"],
    [{ ...ok, detail: 3 }, "detail"],
    [{ ...ok, status: "done" }, 'unknown status "done"'],
    [{ ...ok, system: "torch-3" }, 'unknown system "torch-3"'],
    [{ ...ok, workload: "W9" }, 'unknown workload "W9"'],
    [{ status: "failed", system: "torch-1", workload: "W1" }, "failed result without a reason"],
  ])("rejects an invalid result (%j) naming the field", (result, what) => {
    expect(outputError(line(result)).message).toContain(what);
  });

  test("rejects other message types and a result message without a result", () => {
    expect(outputError('{"type": "hello"}').message).toContain('unknown type "hello"');
    expect(outputError('{"type": "result"}').message).toContain("without a result");
    expect(outputError('{"type": "progress"}').message).toContain("without text");
  });
});
