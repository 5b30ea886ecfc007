/**
 * Runs the tools a consumer runs (pnpm, npm, tsc, vite, node) as child processes, with a clean environment and
 * failures that carry the tool's own output, so a red test says why without a rerun.
 */
import { execFile } from "node:child_process";

/** What a finished command printed. */
export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runCommand}. */
export interface RunOptions {
  readonly cwd: string;
  /** Kill the command after this many milliseconds; default 120 000. */
  readonly timeoutMs?: number;
  /** Extra environment variables (on top of the cleaned parent environment). */
  readonly env?: Readonly<Record<string, string>>;
}

/** Thrown when a command exits non-zero, is killed, or cannot start. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly output: CommandOutput,
  ) {
    super(message);
    this.name = "CommandError";
  }
}

/**
 * The parent environment without the `npm_*` / `pnpm_*` variables a package manager sets for its scripts: a
 * consumer's npm must not inherit the workspace's pnpm settings (registry, store, lifecycle state).
 */
export function cleanEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm|pnpm)_/i.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Keeps the end of a long output (where tools print the error) for assertion messages. */
export function tail(text: string, chars = 6000): string {
  return text.length <= chars ? text : `…${text.slice(-chars)}`;
}

/**
 * Runs `command args` in `options.cwd`.
 * @returns stdout and stderr.
 * @throws CommandError naming the command, the folder and the exit code or signal, with the tail of its stdout and
 *   stderr, when it exits non-zero, times out or cannot start.
 */
export function runCommand(command: string, args: readonly string[], options: RunOptions): Promise<CommandOutput> {
  const timeout = options.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: cleanEnv(options.env), timeout, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve({ stdout, stderr });
          return;
        }
        const how = error.killed
          ? `was killed after ${timeout} ms`
          : typeof error.code === "number"
            ? `exited with code ${error.code}`
            : `failed to start (${error.message})`;
        reject(
          new CommandError(
            `\`${[command, ...args].join(" ")}\` in ${options.cwd} ${how}\n--- stdout ---\n${tail(stdout)}\n--- stderr ---\n${tail(stderr)}`,
            { stdout, stderr },
          ),
        );
      },
    );
  });
}
