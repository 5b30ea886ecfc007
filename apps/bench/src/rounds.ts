/**
 * `--rounds N`: the whole workload-by-workload pass repeated N times, each (system, workload) in a fresh child
 * every round, so a burst of load on the shared machine lands in one round's samples instead of one system's
 * whole row. The rounds' results are merged here into one row per (system, workload).
 */
import type { MeasuredResult, WorkloadResult } from "./protocol.js";

/**
 * One result per (system, workload), in order of first appearance: the measured rounds' samples pooled (their
 * median is the row's), warm-ups summed, the largest peak RSS; distinct details joined. When no round measured
 * it, the first round's result (skipped, failed or n/a) stands.
 * @throws RangeError when measured rounds of one row report different sizes (a bug: every round runs the same).
 */
export function mergeRounds(results: readonly WorkloadResult[]): WorkloadResult[] {
  const groups = new Map<string, WorkloadResult[]>();
  for (const r of results) {
    const key = `${r.system}|${r.workload}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((rounds) => {
    const measured = rounds.filter((r): r is MeasuredResult => r.status === "ok");
    if (measured.length === 0) return rounds[0]!;
    const first = measured[0]!;
    if (measured.length === 1) return first;
    if (measured.some((r) => r.size !== first.size)) {
      throw new RangeError(
        `mergeRounds: ${first.system} ${first.workload} measured sizes ${measured.map((r) => r.size).join(", ")}`,
      );
    }
    const rss = measured.flatMap((r) => (r.peakRssMiB === undefined ? [] : [r.peakRssMiB]));
    const details = [...new Set(measured.flatMap((r) => (r.detail === undefined ? [] : [r.detail])))];
    return {
      ...first,
      samples: measured.flatMap((r) => r.samples),
      warmups: measured.reduce((sum, r) => sum + r.warmups, 0),
      ...(rss.length === 0 ? {} : { peakRssMiB: Math.max(...rss) }),
      ...(details.length === 0 ? {} : { detail: details.join("; ") }),
    };
  });
}
