/**
 * Issue #14's targets against PyTorch and onnxruntime, judged from ratios of medians measured in one run:
 * backend-js's time divided by the other system's (< 1 is faster). PyTorch's time is the best of its 1- and
 * 2-thread rows where the target says so.
 */

import { markdownTable } from "./markdown.js";
import { summarize } from "./measure.js";
import type { MeasuredResult, WorkloadResult } from "./protocol.js";
import { type SystemId, systemInfo } from "./systems/catalog.js";
import { findMeasured, formatRatio } from "./table.js";
import { WORKLOADS, type WorkloadId } from "./workloads.js";

/** backend-js's median on `workload` over the fastest of `against` must be at most `maxRatio`. */
export interface ParityTarget {
  readonly group: "parity" | "single-threaded" | "inference";
  readonly workload: WorkloadId;
  /** backend-js's rows; the fastest measured one counts (default: the one-thread row). */
  readonly systems?: readonly SystemId[];
  /** The systems compared with; the fastest measured one counts. */
  readonly against: readonly SystemId[];
  /** Largest allowed js / other time ratio (W4's "1.5× faster" is 1/1.5). */
  readonly maxRatio: number;
  /** The goal in the words. */
  readonly goal: string;
}

const TORCH_BEST: readonly SystemId[] = ["torch-1", "torch-2"];
const TRAIN: readonly WorkloadId[] = ["W1", "W5", "W2", "W6", "W7"];

/** The targets of issue #14, in the order they are printed. */
export const PARITY_TARGETS: readonly ParityTarget[] = [
  ...TRAIN.map((workload) => ({
    group: "parity" as const,
    workload,
    // "Both cores may be used": backend-js's best of 1 and 2 threads too.
    systems: ["js", "js-2t"] as const,
    against: TORCH_BEST,
    maxRatio: 1,
    goal: "≤ 1.0× PyTorch (best of 1, 2 threads)",
  })),
  ...TRAIN.map((workload) => ({
    group: "single-threaded" as const,
    workload,
    against: ["torch-1"] as const,
    maxRatio: 1.5,
    goal: "≤ 1.5× PyTorch 1 thread",
  })),
  { group: "inference", workload: "W3", against: ["ort"], maxRatio: 2, goal: "≤ 2× onnxruntime-node" },
  {
    group: "inference",
    workload: "W4",
    against: ["ort"],
    maxRatio: 1 / 1.5,
    goal: "≥ 1.5× faster than onnxruntime-node session.run",
  },
];

/** One target's outcome. */
export interface ParityVerdict {
  readonly target: ParityTarget;
  readonly status: "met" | "missed" | "not measured";
  /** js median / the fastest compared system's median, when both were measured at the same size. */
  readonly ratio?: number;
  /** The system the ratio was taken against. */
  readonly against?: SystemId;
  /** backend-js's row the ratio was taken from. */
  readonly system?: SystemId;
}

/** Judges every target (a ratio equal to the limit meets it). */
export function judgeParity(
  results: readonly WorkloadResult[],
  targets: readonly ParityTarget[] = PARITY_TARGETS,
): ParityVerdict[] {
  return targets.map((target) => {
    let js: MeasuredResult | undefined;
    let system: SystemId | undefined;
    for (const id of target.systems ?? ["js"]) {
      const r = findMeasured(results, target.workload, id);
      if (r === undefined || (js !== undefined && summarize(r.samples).median >= summarize(js.samples).median))
        continue;
      js = r;
      system = id;
    }
    let best: { system: SystemId; median: number } | undefined;
    for (const system of target.against) {
      const r = findMeasured(results, target.workload, system);
      if (r === undefined || js === undefined || r.size !== js.size) continue;
      const median = summarize(r.samples).median;
      if (best === undefined || median < best.median) best = { system, median };
    }
    if (js === undefined || best === undefined) return { target, status: "not measured" };
    const ratio = summarize(js.samples).median / best.median;
    // A tiny tolerance so that a ratio printed as the limit is not judged a miss by rounding.
    const status = ratio <= target.maxRatio * (1 + 1e-9) ? "met" : "missed";
    return { target, status, ratio, against: best.system, system: system! };
  });
}

/** The verdicts as a markdown table: target, goal, the compared system, js / other, verdict. */
export function formatParity(verdicts: readonly ParityVerdict[]): string {
  const rows = verdicts.map((v) => {
    const t = v.target;
    const ratio =
      v.ratio === undefined
        ? "–"
        : t.maxRatio < 1
          ? `${formatRatio(v.ratio)} (${formatRatio(1 / v.ratio)} as fast)`
          : formatRatio(v.ratio);
    // Which backend-js row, where the target lets it use more than one thread.
    const measured = v.system !== undefined && v.system !== "js" ? `${ratio} (${systemInfo(v.system).label})` : ratio;
    return [
      `${t.workload} ${WORKLOADS[t.workload].title}`,
      t.goal,
      v.against === undefined ? "–" : systemInfo(v.against).label,
      measured,
      v.status === "not measured" ? "not measured" : `**${v.status}**`,
    ];
  });
  return markdownTable(
    ["workload", "target", "against", "backend-js / other (time)", "verdict"],
    ["left", "left", "left", "right", "left"],
    rows,
  );
}
