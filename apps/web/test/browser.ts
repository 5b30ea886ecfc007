/**
 * Headless Chromium for the e2e tests (playwright-core + the system Chromium, as packages/backend-tfjs's browser
 * suite) and a static server for the built app (Vite's own `preview`).
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { preview } from "vite";

export const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Why the browser tests cannot run here, or undefined. */
export const skipReason = existsSync(executablePath)
  ? undefined
  : `${executablePath} is missing; enable it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH to a Chromium binary)`;

/**
 * Software WebGL 2 (ANGLE on SwiftShader) and a WebGPU adapter when Chromium has one to give, on any machine
 * with or without a GPU; no network side traffic.
 */
export const BASE_ARGS = [
  "--headless",
  "--no-sandbox",
  "--use-angle=swiftshader",
  "--enable-unsafe-swiftshader",
  "--enable-unsafe-webgpu",
  "--autoplay-policy=no-user-gesture-required",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
  // A test page in a background tab must not be throttled.
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

export async function launch(extra: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath, args: [...BASE_ARGS, ...extra] });
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
