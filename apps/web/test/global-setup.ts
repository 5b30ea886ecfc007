/**
 * Builds the app once per test run (a production build, as `pnpm build` makes it) into `.test-results/dist`, so
 * the e2e tests load what users get, and a developer's own `dist/` is left alone. The build's warnings are
 * handed to the tests (bundle.test.ts checks that no Node built-in was stubbed out).
 */
import { fileURLToPath } from "node:url";
import { build, createLogger } from "vite";
import type { TestProject } from "vitest/node";

export const APP_DIR = fileURLToPath(new URL("..", import.meta.url));
export const BUILT_DIR = fileURLToPath(new URL("../.test-results/dist", import.meta.url));

export default async function setup(project: TestProject): Promise<void> {
  const started = performance.now();
  const warnings: string[] = [];
  const logger = createLogger("warn");
  const warn = logger.warn.bind(logger);
  logger.warn = (message, options) => {
    warnings.push(message);
    warn(message, options);
  };
  await build({ root: APP_DIR, customLogger: logger, build: { outDir: BUILT_DIR, emptyOutDir: true } });
  console.log(`apps/web built in ${((performance.now() - started) / 1000).toFixed(1)} s → ${BUILT_DIR}`);
  project.provide("builtDir", BUILT_DIR);
  project.provide("buildWarnings", warnings);
}

declare module "vitest" {
  export interface ProvidedContext {
    builtDir: string;
    buildWarnings: string[];
  }
}
