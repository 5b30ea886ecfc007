#!/usr/bin/env node
// Launcher of the `recurrent-speech` command. The app runs from its TypeScript sources (no build step): this
// starts Node with tsx and the `@recurrent/source` export condition, which makes the workspace packages resolve
// to their src/ as well, and passes the arguments and the exit status through.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const main = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const tsx = import.meta.resolve("tsx");
const child = spawn(
  process.execPath,
  ["--conditions=@recurrent/source", "--import", tsx, main, ...process.argv.slice(2)],
  { stdio: "inherit" },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => {
  process.exitCode = code ?? (signal ? 128 : 1);
});
