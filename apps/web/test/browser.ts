/**
 * Headless Chromium for the e2e tests (playwright-core + the system Chromium, as packages/backend-tfjs's browser
 * suite) and a static server for the built app (Vite's own `preview`).
 */
import { chromiumSkipReason, launchChromium } from "@recurrent/browser-harness";
import type { Browser } from "playwright-core";
import { preview } from "vite";

/** Why the browser tests cannot run here, or undefined. */
export const skipReason = chromiumSkipReason;

/** Audio may start without a click, and a test page in a background tab must not be throttled. */
const PAGE_ARGS = [
  "--autoplay-policy=no-user-gesture-required",
  "--disable-background-timer-throttling",
  "--disable-renderer-backgrounding",
];

/** Flags that give the page a fake microphone playing `wav` in a loop, with the permission prompt accepted. */
export function fakeMicArgs(wav: string): string[] {
  return [
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    `--use-file-for-fake-audio-capture=${wav}`,
  ];
}

/** Chromium with software WebGL 2, a WebGPU adapter when it has one to give, and `extra` flags. */
export async function launch(extra: readonly string[] = []): Promise<Browser> {
  return launchChromium({ gpu: true, args: [...PAGE_ARGS, ...extra] });
}

/** Serves the built app on a free port of 127.0.0.1. */
export async function serveApp(builtDir: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = await preview({
    root: builtDir,
    configFile: false,
    logLevel: "warn",
    build: { outDir: builtDir },
    preview: { host: "127.0.0.1", port: 0, strictPort: false, open: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (url === undefined) throw new Error("vite preview gave no local URL");
  return { url, close: () => server.close() };
}
