// Plain ESM with a hand-written index.d.ts, like @recurrent/vitest-config: a private test helper needs no build.
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const chromiumSkipReason = existsSync(chromiumPath)
  ? undefined
  : `${chromiumPath} is missing; enable it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH to a Chromium binary)`;

// This machine's network is closed: without these, Chromium opens (and is refused) many background connections
// at every start, and looks up Google's hosts.
export const QUIET_ARGS = Object.freeze([
  "--headless",
  "--no-sandbox",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
]);

// Software WebGL 2 (ANGLE on SwiftShader) on a machine with or without a GPU, and a WebGPU adapter: Chromium
// offers one (SwiftShader's when there is no GPU) only with --enable-unsafe-webgpu.
export const GPU_ARGS = Object.freeze([
  "--use-angle=swiftshader",
  "--enable-unsafe-swiftshader",
  "--enable-unsafe-webgpu",
]);

export const CPU_ARGS = Object.freeze(["--disable-gpu"]);

export async function launchChromium(options = {}) {
  const { gpu = false, args = [] } = options;
  return chromium.launch({
    executablePath: chromiumPath,
    args: [...QUIET_ARGS, ...(gpu ? GPU_ARGS : CPU_ARGS), ...args],
  });
}
