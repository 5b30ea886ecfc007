import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { SILERO_DIR, sileroDetect } from "./silero-detect.js";

const missing = !existsSync(fileURLToPath(new URL("silero_vad_16k_op15.onnx", SILERO_DIR)));
if (missing) console.warn(`[examples] silero-detect skipped: no Silero VAD files in ${fileURLToPath(SILERO_DIR)}`);

test.skipIf(missing)(
  "silero-detect finds speech segments in test.wav",
  async () => {
    const lines: string[] = [];
    const segments = await sileroDetect(undefined, undefined, (l) => lines.push(l));
    expect(segments.length).toBeGreaterThan(5);
    for (const s of segments) expect(s.end).toBeGreaterThan(s.start);
    expect(lines.at(-1)).toMatch(/segments in 60\.0 s \(1875 chunks\)/);
  },
  60_000,
);
