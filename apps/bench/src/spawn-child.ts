/**
 * Runs one child process and collects its results: a Node child (src/child.ts, results over IPC) or the
 * PyTorch child (python/torch_bench.py, results as JSON lines on stdout). A workload the child never reported
 * (it crashed or ran out of time) comes back as `failed` with the exit status and the last line it printed.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type ChildJob, type ChildMessage, isChildMessage, type WorkloadResult } from "./protocol.js";
import type { SystemId } from "./systems/catalog.js";
import { PYTHON } from "./torch/detect.js";
import type { TorchJob } from "./torch/job.js";
import { parseTorchLine, TorchOutputError } from "./torch/parse.js";
import type { WorkloadId } from "./workloads.js";

/** The bench package folder (the children run there so `--import tsx` resolves). */
export const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));
const CHILD = fileURLToPath(new URL("./child.ts", import.meta.url));
const TORCH_CHILD = fileURLToPath(new URL("../python/torch_bench.py", import.meta.url));

/**
 * V8 flags of every Node child. Node 20 validates WebAssembly relaxed SIMD only behind this flag (Node 22 by
 * default), and backend-js picks its fused multiply-add product kernel where it validates: the bench measures
 * the kernel a Node 22 user gets. The table's notes name the kernel that ran.
 */
export const NODE_CHILD_FLAGS = ["--experimental-wasm-relaxed-simd"] as const;

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

/** Collects `child`'s messages (handed to `deliver` by the caller's transport) until it exits. */
function collect(
  child: ChildProcess,
  system: SystemId,
  workloads: readonly WorkloadId[],
  options: RunChildOptions,
  stdoutLine?: (line: string) => ChildMessage | undefined,
): Promise<WorkloadResult[]> {
  const results: WorkloadResult[] = [];
  let tail = "";
  let protocolError: string | undefined;
  const deliver = (m: ChildMessage) => {
    if (m.type === "progress") options.onProgress(m.text);
    else {
      results.push(m.result);
      options.onResult(m.result);
    }
  };
  let pending = "";
  const keep = (chunk: Buffer, out: NodeJS.WriteStream, parse: boolean) => {
    if (options.verbose) out.write(chunk);
    tail = (tail + chunk.toString()).slice(-4000);
    if (!parse || stdoutLine === undefined) return;
    pending += chunk.toString();
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      try {
        const m = stdoutLine(line);
        if (m !== undefined) deliver(m);
      } catch (err) {
        if (!(err instanceof TorchOutputError)) throw err;
        protocolError ??= err.message;
      }
    }
  };
  child.stdout?.on("data", (c: Buffer) => keep(c, process.stdout, true));
  child.stderr?.on("data", (c: Buffer) => keep(c, process.stderr, false));
  child.on("message", (m: unknown) => {
    if (isChildMessage(m)) deliver(m);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, options.timeoutMs);
  return new Promise((resolve) => {
    const finish = (why: string) => {
      clearTimeout(timer);
      for (const workload of workloads) {
        if (!results.some((r) => r.workload === workload)) {
          const missing: WorkloadResult = { status: "failed", system, workload, reason: why };
          results.push(missing);
          options.onResult(missing);
        }
      }
      resolve(results);
    };
    child.on("error", (err) => finish(`could not start: ${err.message}`));
    child.on("close", (code, signal) => {
      const lastLine =
        tail
          .split("\n")
          .map((l) => l.trim())
          .filter((l) => l !== "")
          .at(-1) ?? "";
      const why = timedOut
        ? `timed out after ${Math.round(options.timeoutMs / 1000)} s`
        : (protocolError ??
          `child exited (${signal ?? `code ${code}`})${lastLine === "" ? "" : `: ${lastLine.slice(0, 200)}`}`);
      finish(why);
    });
  });
}

/** Runs `job` in a fresh `node --conditions=@recurrent/source --import tsx --expose-gc` process. */
export function runChild(job: ChildJob, options: RunChildOptions): Promise<WorkloadResult[]> {
  const child = spawn(
    process.execPath,
    [
      ...NODE_CHILD_FLAGS,
      "--conditions=@recurrent/source",
      "--import",
      "tsx",
      "--expose-gc",
      CHILD,
      JSON.stringify(job),
    ],
    { cwd: BENCH_DIR, stdio: ["ignore", "pipe", "pipe", "ipc"] },
  );
  return collect(child, job.system, job.workloads, options);
}

/**
 * Runs python/torch_bench.py on `job` with `OMP_NUM_THREADS` (and OpenBLAS's and MKL's) = the job's threads
 * and `OMP_WAIT_POLICY=PASSIVE` (idle OpenMP threads sleep instead of spinning on a shared 2-core machine), read
 * by the libraries once, at load.
 */
export function runTorchChild(job: TorchJob, options: RunChildOptions): Promise<WorkloadResult[]> {
  const threads = String(job.threads);
  const child = spawn(PYTHON, [TORCH_CHILD, JSON.stringify(job)], {
    cwd: BENCH_DIR,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      OMP_NUM_THREADS: threads,
      OPENBLAS_NUM_THREADS: threads,
      MKL_NUM_THREADS: threads,
      OMP_WAIT_POLICY: "PASSIVE",
    },
  });
  return collect(
    child,
    job.system,
    job.workloads.map((w) => w.id),
    options,
    parseTorchLine,
  );
}
