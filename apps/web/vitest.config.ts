import libraryConfig from "@recurrent/vitest-config";
import { mergeConfig } from "vitest/config";

// The e2e suite builds the app once (globalSetup) and drives it in headless Chromium: slower than the preset's 30 s.
export default mergeConfig(libraryConfig, {
  test: { globalSetup: ["./test/global-setup.ts"], testTimeout: 120_000, hookTimeout: 180_000 },
});
