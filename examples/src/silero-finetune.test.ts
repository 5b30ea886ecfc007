import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { SILERO_DIR } from "./silero-detect.js";
import { sileroFineTune } from "./silero-finetune.js";

const missing = !existsSync(fileURLToPath(new URL("silero_vad_16k_op15.onnx", SILERO_DIR)));
if (missing) console.warn(`[examples] silero-finetune skipped: no Silero VAD files in ${fileURLToPath(SILERO_DIR)}`);

test.skipIf(missing)(
  "silero-finetune raises the held-out AUC and exports a file onnxruntime agrees with",
  async () => {
    const lines: string[] = [];
    const r = await sileroFineTune({ epochs: 4, log: (l) => lines.push(l) });
    expect(r.aucAfter).toBeGreaterThan(r.aucBefore);
    expect(r.onnxMaxDiff).toBeLessThan(1e-4);
    expect(lines.some((l) => l.startsWith("held-out ROC-AUC after"))).toBe(true);
  },
  120_000,
);
