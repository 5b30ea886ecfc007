import libraryConfig from "@recurrent/vitest-config";
import { mergeConfig } from "vitest/config";

// Packing builds every publishable package once per run (globalSetup); the projects then install, compile and
// bundle those tarballs, which takes tens of seconds on two busy cores rather than the preset's 30 s test budget.
export default mergeConfig(libraryConfig, {
  test: { globalSetup: ["./test/global-setup.ts"], testTimeout: 150_000, hookTimeout: 150_000 },
});
