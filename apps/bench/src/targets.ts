/**
 * The performance targets of backend-js, judged from ratios measured side by side in one run.
 */
import type { WorkloadResult } from "./protocol.js";
import { type SystemId, systemInfo } from "./systems/catalog.js";
import { formatRatio, speedup } from "./table.js";
import type { WorkloadId } from "./workloads.js";

/** backend-js on `workload` must be at least `minSpeedup` times as fast as `against` (strictly faster for 1). */
export interface Target {
  readonly workload: WorkloadId;
  readonly against: SystemId;
  readonly minSpeedup: number;
}

/** The targets of the issue, in the order they are printed. */
export const TARGETS: readonly Target[] = [
  { workload: "W1", against: "tfjs-layers-cpu", minSpeedup: 10 },
  { workload: "W1", against: "tfjs-layers-wasm", minSpeedup: 1 },
  { workload: "W3", against: "tfjs-layers-cpu", minSpeedup: 10 },
  { workload: "W4", against: "ort", minSpeedup: 1 },
  { workload: "W5", against: "tfjs-layers-cpu", minSpeedup: 10 },
];

/** A target's outcome in one run. */
export interface Verdict {
  readonly target: Target;
  readonly status: "met" | "not met" | "not measured";
  /** The measured speed-up of backend-js over `against`, when both were measured. */
  readonly speedup?: number;
}

/** What the target asks, in words. */
export function describeTarget(t: Target): string {
  const other = systemInfo(t.against).label;
  if (t.minSpeedup === 1) {
    return t.workload === "W4" ? `W4 fewer µs/frame than ${other}.run` : `${t.workload} faster than ${other}`;
  }
  return `${t.workload} ≥ ${t.minSpeedup}× faster than ${other}`;
}

/** Judges every target (a speed-up of exactly 1 does not meet a "faster than" target). */
export function judgeTargets(results: readonly WorkloadResult[], targets: readonly Target[] = TARGETS): Verdict[] {
  return targets.map((target) => {
    const s = speedup(results, target.workload, "js", target.against);
    if (s === undefined) return { target, status: "not measured" };
    const met = target.minSpeedup === 1 ? s > 1 : s >= target.minSpeedup;
    return { target, status: met ? "met" : "not met", speedup: s };
  });
}

/** One line per verdict, e.g. `- W3 ≥ 10× faster than tf.layers cpu: met (12.3×)`. */
export function formatVerdicts(verdicts: readonly Verdict[]): string {
  return verdicts
    .map((v) => {
      const measured = v.speedup === undefined ? "" : ` (backend-js ${formatRatio(v.speedup)} as fast)`;
      return `- ${describeTarget(v.target)}: **${v.status}**${measured}`;
    })
    .join("\n");
}
