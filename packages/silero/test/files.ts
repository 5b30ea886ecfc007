/**
 * The official Silero VAD files, read from `<repo>/../shared/models/silero-vad/` (or `$SILERO_VAD_DIR`). They are
 * third-party files and are never copied into the repository; tests that need them skip with a printed reason.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The folder with `silero_vad_16k.safetensors`, `silero_vad_16k_op15.onnx` and `test.wav`. */
export const MODEL_DIR =
  process.env.SILERO_VAD_DIR ?? fileURLToPath(new URL("../../../../shared/models/silero-vad/", import.meta.url));

export const SAFETENSORS = join(MODEL_DIR, "silero_vad_16k.safetensors");
export const ONNX = join(MODEL_DIR, "silero_vad_16k_op15.onnx");
export const TEST_WAV = join(MODEL_DIR, "test.wav");

/** `undefined` when every file is there, else why the tests that need them are skipped. */
export const SKIP_REASON: string | undefined = [SAFETENSORS, ONNX, TEST_WAV].every((f) => existsSync(f))
  ? undefined
  : `the official Silero VAD files are not in ${MODEL_DIR} (set SILERO_VAD_DIR, or put ../shared/models/silero-vad/ beside the repository)`;

if (SKIP_REASON !== undefined) console.warn(`[@recurrent/silero] skipping model tests: ${SKIP_REASON}`);

/** A file's bytes as a Uint8Array. */
export function bytesOf(path: string): Uint8Array {
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
