// Optional: ONNX's own checker (full_check runs shape inference too) on every exported conformance model, when
// Debian's python3-onnx is installed (it reads up to opset 17 / IR 8, our default). Skipped otherwise.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { allCases, loadFixture, materializeFixture } from "@recurrent/conformance";
import { expect, test } from "vitest";
import { exportOnnx } from "./export/index.js";

const PYTHON = "/usr/bin/python3";
const probe = spawnSync(PYTHON, ["-c", "import onnx"], { encoding: "utf8" });
const missing = probe.status === 0 ? undefined : `${PYTHON} cannot import onnx (apt-get install python3-onnx)`;

const CHECK = `
import sys, onnx
failed = 0
for path in sys.argv[1:]:
    try:
        onnx.checker.check_model(onnx.load(path), full_check=True)
    except Exception as e:
        failed += 1
        print(path, str(e).splitlines()[0] if str(e) else type(e).__name__)
print("checked", len(sys.argv) - 1, "failed", failed)
`;

test.skipIf(missing !== undefined)(
  `onnx.checker accepts every exported conformance model${missing ? ` — skipped: ${missing}` : ""}`,
  () => {
    const dir = mkdtempSync(join(tmpdir(), "recurrent-onnx-check-"));
    try {
      const files: string[] = [];
      for (const c of allCases) {
        const { model, weights } = materializeFixture(loadFixture(c.name));
        const file = join(dir, `${c.name}.onnx`);
        writeFileSync(file, exportOnnx(model, weights));
        files.push(file);
      }
      const result = spawnSync(PYTHON, ["-c", CHECK, ...files], { encoding: "utf8" });
      expect(result.stderr).toBe("");
      expect(result.stdout.trim()).toBe(`checked ${files.length} failed 0`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  60_000,
);
