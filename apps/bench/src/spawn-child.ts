/**
 * Runs one system's child process and collects its results. A workload the child never reported (it crashed
 * or ran out of time) comes back as `failed` with the exit status and the last line it printed.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type ChildJob, isChildMessage, type WorkloadResult } from "./protocol.js";

/** The bench package folder (the children run there so `--import tsx` resolves). */
export const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));
const CHILD = fileURLToPath(new URL("./child.ts", import.meta.url));

/** Options of {@link runChild}. */
export interface RunChildOptions {
  /** Kill the child after this long; its missing workloads are reported as failed. */
  readonly timeoutMs: number;
  /** Pass the child's stdout/stderr through instead of keeping only their tail. */
  readonly verbose: boolean;
  /** Called with each progress line and each result as they arrive. */
  readonly onProgress: (text: string) => void;
  readonly onResult: (result: WorkloadResult) => void;
}

/** Runs `job` in a fresh `node --conditions=@recurrent/source --import tsx --expose-gc` process. */
export function runChild(job: ChildJob, options: RunChildOptions): Promise<WorkloadResult[]> {
  const child = spawn(
    process.execPath,
    ["--conditions=@recurrent/source", "--import", "tsx", "--expose-gc", CHILD, JSON.stringify(job)],
    { cwd: BENCH_DIR, stdio: ["ignore", "pipe", "pipe", "ipc"] },
  );
  const results: WorkloadResult[] = [];
  let tail = "";
  const keep = (chunk: Buffer, out: NodeJS.WriteStream) => {
    if (options.verbose) out.write(chunk);
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", (c: Buffer) => keep(c, process.stdout));
  child.stderr?.on("data", (c: Buffer) => keep(c, process.stderr));
  child.on("message", (m: unknown) => {
    if (!isChildMessage(m)) return;
    if (m.type === "progress") options.onProgress(m.text);
    else {
      results.push(m.result);
      options.onResult(m.result);
    }
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, options.timeoutMs);
  return new Promise((resolve) => {
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const lastLine =
        tail
          .split("\n")
          .map((l) => l.trim())
          .filter((l) => l !== "")
          .at(-1) ?? "";
      const why = timedOut
        ? `timed out after ${Math.round(options.timeoutMs / 1000)} s`
        : `child exited (${signal ?? `code ${code}`})${lastLine === "" ? "" : `: ${lastLine.slice(0, 200)}`}`;
      for (const workload of job.workloads) {
        if (!results.some((r) => r.workload === workload)) {
          const missing: WorkloadResult = { status: "failed", system: job.system, workload, reason: why };
          results.push(missing);
          options.onResult(missing);
        }
      }
      resolve(results);
    });
  });
}
