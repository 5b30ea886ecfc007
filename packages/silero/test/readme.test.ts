import { fileURLToPath } from "node:url";
import { expect, test, vi } from "vitest";
import { SKIP_REASON } from "./files.js";

// Runs the README's example as it is (it reads the files from $SILERO_VAD_DIR, set here to the tests' folder).
test.skipIf(SKIP_REASON !== undefined)(
  "the README example runs",
  async () => {
    vi.stubEnv("SILERO_VAD_DIR", fileURLToPath(new URL("../../../../shared/models/silero-vad", import.meta.url)));
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    await import("./readme-example.js");
    expect(log.mock.calls[0]?.[0]).toBe(1875);
    expect(log.mock.calls.at(-1)?.[0]).toMatch(/^\d+ bytes$/);
  },
  60_000,
);
