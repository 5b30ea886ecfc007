/**
 * What main.ts sends a child process (argv) and what the child sends back (IPC messages, one per workload),
 * so partial results survive a child that crashes or runs out of time.
 */
import type { SystemId } from "./systems/catalog.js";
import type { Sizes, WorkloadId } from "./workloads.js";

/** The job of one child: one system, some workloads (main.ts gives each child one, so its peak RSS is that one's). */
export interface ChildJob {
  readonly system: SystemId;
  readonly workloads: readonly WorkloadId[];
  /** The quick sizes (unless `sizes`) and the quick repetition plan. */
  readonly quick: boolean;
  /** A point of the scaling grid instead of the run's sizes (backend-js and PyTorch only). */
  readonly sizes?: Sizes;
}

/** One measured workload: samples in the workload's unit (ms per step, or µs per frame for W4). */
export interface MeasuredResult {
  readonly status: "ok";
  readonly system: SystemId;
  readonly workload: WorkloadId;
  readonly samples: readonly number[];
  readonly warmups: number;
  /** The T (W1–W3, W5–W7) or frame count (W4) measured. */
  readonly size: number;
  /** The child process's peak resident set size after the workload, MiB (Node's maxRSS, Python's ru_maxrss). */
  readonly peakRssMiB?: number;
  /** What ran, e.g. `product kernel fma` (backend-js) or `torch 1.13.0, 1 thread(s)`. */
  readonly detail?: string;
}

/** A workload that produced no number, and why. */
export interface UnmeasuredResult {
  /** `skipped`: the system could not be loaded or compiled; `failed`: it threw or crashed; `n/a`: it cannot run it. */
  readonly status: "skipped" | "failed" | "n/a";
  readonly system: SystemId;
  readonly workload: WorkloadId;
  readonly reason: string;
}

/** One row of the table. */
export type WorkloadResult = MeasuredResult | UnmeasuredResult;

/** A message from a child to main.ts. */
export type ChildMessage =
  | { readonly type: "progress"; readonly text: string }
  | { readonly type: "result"; readonly result: WorkloadResult };

/** Whether `value` is a {@link ChildMessage} (the IPC channel carries untyped JSON). */
export function isChildMessage(value: unknown): value is ChildMessage {
  if (typeof value !== "object" || value === null) return false;
  const m = value as { type?: unknown; text?: unknown; result?: unknown };
  if (m.type === "progress") return typeof m.text === "string";
  if (m.type !== "result" || typeof m.result !== "object" || m.result === null) return false;
  const r = m.result as { status?: unknown; system?: unknown; workload?: unknown };
  return typeof r.status === "string" && typeof r.system === "string" && typeof r.workload === "string";
}
