import libraryConfig from "@recurrent/vitest-config";
import { mergeConfig } from "vitest/config";

export default mergeConfig(libraryConfig, { test: { setupFiles: ["./test/setup.ts"] } });
