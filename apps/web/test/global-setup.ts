/**
 * Builds the app once per test run (a production build, as `pnpm build` makes it) into `.test-results/dist`, so
 * the e2e tests load what users get, and a developer's own `dist/` is left alone.
 */
import { fileURLToPath } from "node:url";
import { build } from "vite";
import type { TestProject } from "vitest/node";

export const APP_DIR = fileURLToPath(new URL("..", import.meta.url));
export const BUILT_DIR = fileURLToPath(new URL("../.test-results/dist", import.meta.url));

export default async function setup(project: TestProject): Promise<void> {
  const started = performance.now();
  await build({ root: APP_DIR, logLevel: "warn", build: { outDir: BUILT_DIR, emptyOutDir: true } });
  console.log(`apps/web built in ${((performance.now() - started) / 1000).toFixed(1)} s → ${BUILT_DIR}`);
  project.provide("builtDir", BUILT_DIR);
}

declare module "vitest" {
  export interface ProvidedContext {
    builtDir: string;
  }
}
