/**
 * Self-describing files: `metadata_props` read back by readers that share no code with the exporter —
 * onnxruntime-node (the signature the state pairs describe) and Python's `onnx` package (every entry), the
 * latter skipped with its reason when `/usr/bin/python3 -c "import onnx"` fails.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertValid, dense, gru, initWeights, input, lstm, parseGraph, sequential } from "@recurrent/core";
import { InferenceSession } from "onnxruntime-node";
import { afterAll, describe, expect, test } from "vitest";
import { exportOnnx } from "./export/index.js";
import type { OnnxMetadataOptions } from "./export/metadata.js";

const model = assertValid(
  sequential("phones", [
    input("mfcc", 3),
    lstm("l1", { units: 4 }),
    gru("l2", { units: 5 }),
    dense("out", { units: 2 }),
  ]),
);
const weights = initWeights(model, { seed: 3 });
const metadata: OnnxMetadataOptions = {
  labels: ["sil", "aa"],
  features: { kind: "mfcc", sampleRate: 16000, frameLength: 400, frameStep: 160, deltas: [2, 2] },
  cmvn: { mean: [0.5, -1.25, 3], std: [1, 2.5, 0.125] },
  extra: { "speech-demo.task": "classify" },
};
const bytes = exportOnnx(model, weights, { metadata });

const dir = mkdtempSync(join(tmpdir(), "recurrent-onnx-metadata-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PYTHON = "/usr/bin/python3";
const probe = spawnSync(PYTHON, ["-c", "import onnx"], { encoding: "utf8" });
const missing = probe.status === 0 ? undefined : `${PYTHON} cannot import onnx (apt-get install python3-onnx)`;
if (missing !== undefined) console.info(`metadata via Python onnx skipped: ${missing}`);

/** Every `metadata_props` entry as Python's onnx parses them, in file order. */
function pythonMetadata(file: string): [string, string][] {
  const script =
    "import sys, json, onnx\nm = onnx.load(sys.argv[1])\nprint(json.dumps([[p.key, p.value] for p in m.metadata_props]))";
  const result = spawnSync(PYTHON, ["-c", script, file], { encoding: "utf8" });
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as [string, string][];
}

describe("metadata_props", () => {
  test.skipIf(missing !== undefined)(
    `Python onnx reads the documented schema back${missing ? ` — skipped: ${missing}` : ""}`,
    () => {
      const file = join(dir, "phones.onnx");
      writeFileSync(file, bytes);
      const entries = pythonMetadata(file);
      expect(entries.map(([key]) => key)).toEqual([
        "recurrent.metadata_version",
        "recurrent.graph",
        "recurrent.states",
        "recurrent.lengths",
        "recurrent.labels",
        "recurrent.features",
        "recurrent.cmvn",
        "speech-demo.task",
      ]);
      const m = new Map(entries);
      expect(m.get("recurrent.metadata_version")).toBe("1");
      expect(parseGraph(m.get("recurrent.graph")!).nodes).toEqual(model.nodes);
      expect(JSON.parse(m.get("recurrent.states")!)).toEqual([
        { input: "l1/h_0", output: "l1/h", shape: [1, "batch", 4] },
        { input: "l1/c_0", output: "l1/c", shape: [1, "batch", 4] },
        { input: "l2/h_0", output: "l2/h", shape: [1, "batch", 5] },
      ]);
      expect(JSON.parse(m.get("recurrent.lengths")!)).toEqual({ mfcc: "lengths" });
      expect(JSON.parse(m.get("recurrent.labels")!)).toEqual(["sil", "aa"]);
      expect(JSON.parse(m.get("recurrent.features")!)).toEqual(metadata.features);
      expect(JSON.parse(m.get("recurrent.cmvn")!)).toEqual(metadata.cmvn);
      expect(m.get("speech-demo.task")).toBe("classify");
    },
    30_000,
  );

  test("onnxruntime-node loads the file, and its view of the inputs and outputs is what recurrent.states says", async () => {
    // onnxruntime-node 1.30 exposes no model metadata (only inputMetadata / outputMetadata), so the entries are
    // checked against what it does expose: every state pair is a real input and an output of that shape.
    const session = await InferenceSession.create(bytes, { logSeverityLevel: 3 });
    try {
      const shapes = new Map(
        [...session.inputMetadata, ...session.outputMetadata].map((m) => [m.name, m.isTensor ? m.shape : []]),
      );
      for (const [input, output, units] of [
        ["l1/h_0", "l1/h", 4],
        ["l1/c_0", "l1/c", 4],
        ["l2/h_0", "l2/h", 5],
      ] as const) {
        expect(session.inputNames).toContain(input);
        expect(session.outputNames).toContain(output);
        expect(shapes.get(input)).toEqual([1, "batch", units]);
        expect(shapes.get(output)).toEqual([1, "batch", units]);
      }
    } finally {
      await session.release();
    }
  });

  test.each([
    [{ labels: ["only one"] }, /labels has 1 entries but output "out" has 2 units/],
    [{ labels: [] }, /labels must be a non-empty array of strings/],
    [{ cmvn: { mean: [0, 0], std: [1, 1] } }, /cmvn has 2 dims but input "mfcc" has 3 features/],
    [{ cmvn: { mean: [0, 0, 0], std: [1, 1] } }, /cmvn.mean has 3 values but cmvn.std has 2/],
    [{ cmvn: { mean: [0, 0, 0], std: [1, 0, 1] } }, /cmvn.std\[1\] is 0; every std must be > 0/],
    [{ cmvn: { mean: [0, Number.NaN, 0], std: [1, 1, 1] } }, /cmvn must be .* of finite numbers/],
    [{ features: [1, 2] as never }, /features must be a JSON object/],
    [{ extra: { "recurrent.labels": "x" } }, /extra key "recurrent.labels" .* reserved prefix "recurrent\."/],
    [{ extra: { note: 3 as never } }, /extra "note" must be a string, found number/],
  ])("refuses %j", (options, message) => {
    expect(() => exportOnnx(model, weights, { metadata: options as OnnxMetadataOptions })).toThrow(message);
  });
});
