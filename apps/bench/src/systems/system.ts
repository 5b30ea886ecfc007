/**
 * What a system module provides to the child process: per workload, a prepared step to time.
 */
import type { RepetitionPlan, Timings } from "../measure.js";
import type { Sizes, WorkloadId } from "../workloads.js";

/** One prepared workload: `run()` is what a repetition times (a train step, a forward pass, or all W4 frames). */
export interface PreparedStep {
  run(): Promise<void>;
  dispose(): Promise<void>;
}

/** A loaded system. */
export interface System {
  /**
   * Builds the model and data of `workload` at `sizes`.
   * @throws SkipError when the system cannot run it (shown as "skipped: reason"); anything else is a failure.
   */
  prepare(workload: WorkloadId, sizes: Sizes): Promise<PreparedStep>;
  dispose(): Promise<void>;
  /** What ran, for the table's notes (e.g. backend-js's product kernel), read after a workload was measured. */
  detail?(): string;
  /**
   * Prepares, times and disposes `workload` itself (a system that runs elsewhere, e.g. in a browser page, and
   * times there); the child uses this instead of `prepare` when present.
   */
  measure?(workload: WorkloadId, sizes: Sizes, plan: RepetitionPlan): Promise<Timings>;
  /** `false` when the work runs in another process, so the child's own peak RSS would not be its memory. */
  readonly ownsMemory?: boolean;
}

/** Thrown by a system that cannot run (load, compile): the table shows "skipped: <message>". */
export class SkipError extends Error {
  override readonly name = "SkipError";
  readonly code = "SKIPPED";
}

/** The message of any thrown value on one line, prefixed by its class unless it is a plain Error or a skip. */
export function reasonOf(err: unknown): string {
  const prefixed = err instanceof Error && err.name !== "Error" && !(err instanceof SkipError);
  const text = err instanceof Error ? `${prefixed ? `${err.name}: ` : ""}${err.message}` : String(err);
  return text.split("\n")[0]!.slice(0, 240);
}
