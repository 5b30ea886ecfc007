import type { Browser } from "playwright-core";

/** The Chromium binary the browser suites drive: `CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`. */
export declare const chromiumPath: string;
/** Why the browser suites cannot run here (the binary is missing, with how to install it), or undefined. */
export declare const chromiumSkipReason: string | undefined;
/** Headless, no sandbox (CI runs as root), and no background network traffic. */
export declare const QUIET_ARGS: readonly string[];
/** Software WebGL 2 through ANGLE + SwiftShader, and a WebGPU adapter. */
export declare const GPU_ARGS: readonly string[];
/** For pages that compute on the CPU only. */
export declare const CPU_ARGS: readonly string[];

/** Options of {@link launchChromium}. */
export interface LaunchOptions {
  /** Give the page software WebGL/WebGPU ({@link GPU_ARGS}); default false ({@link CPU_ARGS}). */
  readonly gpu?: boolean;
  /** More flags, e.g. a fake microphone. */
  readonly args?: readonly string[];
}

/** Launches headless Chromium with {@link QUIET_ARGS} plus the GPU or CPU flags and `args`. */
export declare function launchChromium(options?: LaunchOptions): Promise<Browser>;
